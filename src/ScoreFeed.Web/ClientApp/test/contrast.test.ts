import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contrastRatio, fixes, parseRgb, readableOn } from '../src/widget/contrast';
import { themeCss } from '../src/partner-demo/editor';

type Rgb = [number, number, number];
const theme = (over: Record<string, Rgb> = {}) => new Map<string, Rgb | undefined>(Object.entries({
  '--sf-text': [15, 23, 42], '--sf-muted': [71, 85, 105], '--sf-accent': [29, 78, 216], '--sf-live-text': [255, 255, 255],
  '--sf-bg': [243, 245, 248], '--sf-surface': [255, 255, 255], '--sf-live': [185, 28, 28], ...over,
}) as [string, Rgb][]);

test('contrast ratios are WCAG 2: #777 on white just misses AA, black on white is 21', () => {
  assert.equal(contrastRatio([119, 119, 119], [255, 255, 255]).toFixed(2), '4.48');
  assert.equal(contrastRatio([0, 0, 0], [255, 255, 255]), 21);
  assert.deepEqual(parseRgb('rgb(1, 2, 3)'), [1, 2, 3]);
  assert.deepEqual(parseRgb('rgba(10, 20, 30, 0.5)'), [10, 20, 30]);
  assert.equal(parseRgb('oklch(0.5 0.1 200)'), undefined);
  assert.equal(readableOn([[253, 224, 71]]), '#000000');
  assert.equal(readableOn([[30, 41, 59]]), '#ffffff');
});

test('ScoreFeed\u2019s own theme needs no fix; a partner\u2019s colours that would fail AA are fixed', () => {
  assert.deepEqual(fixes(theme()), []);
  // A yellow live badge: its white text would read at 1.3:1.
  assert.deepEqual(fixes(theme({ '--sf-live': [253, 224, 71] })), [['--sf-live-text', '#000000']]);
  // A dark background beside the light cards: no text colour reads on both, so the cards take the background.
  const dark = fixes(theme({ '--sf-bg': [30, 41, 59] }));
  assert.deepEqual(dark[0], ['--sf-surface', 'rgb(30 41 59)']);
  assert.deepEqual(new Map(dark).get('--sf-text'), '#ffffff');
  // A partner's own pale text on white: replaced.
  assert.deepEqual(fixes(theme({ '--sf-text': [200, 200, 200] })), [['--sf-text', '#000000']]);
});

test('the demo page writes the CSS a partner pastes, with the space to reserve', () => {
  const css = themeCss([['--scorefeed-accent', '#6b1d1d'], ['--scorefeed-radius', '0']], 'compact', 12.5);
  assert.match(css, /scorefeed-match, scorefeed-scoreboard \{\n {2}--scorefeed-accent: #6b1d1d;\n {2}--scorefeed-radius: 0;\n\}/);
  assert.match(css, /scorefeed-match \{ display: block; min-height: 12.5rem; \}/);
  assert.match(css, /layout="compact"/);
  assert.doesNotMatch(themeCss([], 'full', 21.75), /--scorefeed|compact/);
});
