// Lighthouse over the fan pages: every page × language × form factor, the median of N runs each.
//   node run.mjs --site http://127.0.0.1:5000 [--partner http://127.0.0.1:5001] [--runs 5] [--langs en,es,de,fr,ar]
//                [--pages scoreboard,match,embed] [--forms mobile,desktop] [--out ../../bench/results]
// bench/web.sh starts its own system and adds the partner page, the widget's size and time to first score; this one
// covers the languages. Needs a running system (./run.sh --no-aspire, or deploy/rehearse.sh) and Chromium (CHROME_PATH, default
// /usr/bin/chromium). Writes {time}-lighthouse.json and .md; prints a line per page, language and form factor.
import { mkdir, writeFile } from 'node:fs/promises';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const site = (args.site ?? 'http://127.0.0.1:5000').replace(/\/$/, '');
const runs = Number(args.runs ?? 5);
const langs = (args.langs ?? 'en,es,de,fr,ar').split(',');
const pages = (args.pages ?? 'scoreboard,match,embed').split(',');
const forms = (args.forms ?? 'mobile,desktop').split(',');
const out = args.out ?? '../../bench/results';

// A match in play for the match and embed pages, from a hub's read API.
let matchId = args.match;
if (!matchId) {
  const { matches } = await (await fetch(`${args.hub ?? 'http://127.0.0.1:5100'}/api/v1/matches`)).json();
  matchId = (matches.find((m) => m.status === 'live') ?? matches[0])?.matchId;
}
const key = args.key ?? 'demo';
const url = (page, lang) => ({
  scoreboard: `${site}/?lang=${lang}`,
  match: `${site}/matches/${matchId}?lang=${lang}`,
  embed: `${site}/embed/matches/${matchId}?key=${key}&lang=${lang}`,
})[page];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const rows = [];
try {
  for (const page of pages) {
    for (const lang of langs) {
      for (const form of forms) {
        const scores = { performance: [], accessibility: [], lcp: [], cls: [], tbt: [] };
        let failed = 0;
        for (let i = 0; i < runs; i++) {
          const config = form === 'desktop' ? (await import('lighthouse/core/config/desktop-config.js')).default : undefined;
          const result = await lighthouse(url(page, lang), { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] }, config);
          const { categories, audits } = result?.lhr ?? {};
          if (categories?.performance?.score == null || categories?.accessibility?.score == null) {
            // A run Lighthouse could not score (a page that did not load in time): counted, not averaged in.
            failed++;
            continue;
          }
          scores.performance.push(Math.round(categories.performance.score * 100));
          scores.accessibility.push(Math.round(categories.accessibility.score * 100));
          scores.lcp.push(audits['largest-contentful-paint'].numericValue);
          scores.cls.push(audits['cumulative-layout-shift'].numericValue);
          scores.tbt.push(audits['total-blocking-time'].numericValue);
        }
        const row = {
          page, lang, form, runs, failed,
          performance: median(scores.performance), accessibility: median(scores.accessibility),
          lcpMs: Math.round(median(scores.lcp)), cls: Number(median(scores.cls).toFixed(3)), tbtMs: Math.round(median(scores.tbt)),
          performanceRange: [Math.min(...scores.performance), Math.max(...scores.performance)],
        };
        rows.push(row);
        console.log(`${page.padEnd(10)} ${lang} ${form.padEnd(7)} performance ${row.performance} (${row.performanceRange.join('–')}) accessibility ${row.accessibility}  LCP ${row.lcpMs} ms  CLS ${row.cls}  TBT ${row.tbtMs} ms${failed ? `  (${failed} run(s) not scored)` : ''}`);
      }
    }
  }
} finally {
  await chrome.kill();
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
await mkdir(out, { recursive: true });
await writeFile(`${out}/${stamp}-lighthouse.json`, JSON.stringify({ site, matchId, runs, date: new Date().toISOString(), rows }, null, 2));
const md = ['| page | language | form | performance (median, range) | accessibility | LCP ms | CLS | TBT ms |', '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.page} | ${r.lang} | ${r.form} | ${r.performance} (${r.performanceRange.join('–')}) | ${r.accessibility} | ${r.lcpMs} | ${r.cls} | ${r.tbtMs} |`)];
await writeFile(`${out}/${stamp}-lighthouse.md`, md.join('\n') + '\n');
console.log(`written: ${out}/${stamp}-lighthouse.json, .md`);
const low = rows.filter((r) => r.performance < 95 || r.accessibility < 95);
if (low.length) {
  console.log(`below 95: ${low.map((r) => `${r.page}/${r.lang}/${r.form}`).join(', ')}`);
}
