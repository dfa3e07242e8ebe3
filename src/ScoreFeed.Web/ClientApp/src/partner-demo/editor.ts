// The demo partner page's theme editor: every control sets one property of the widget's theming API
// (docs/embedding.md, "Theming") on the page's widgets at once, and the box below writes the CSS a partner pastes
// into their own stylesheet to get what they see, the space to reserve included. Served at /assets/partner-demo.js
// from ScoreFeed's origin, which the page's CSP allows; it writes styles through the CSSOM only (no inline styles).

interface Control {
  input: HTMLInputElement | HTMLSelectElement;
  /** The custom property it sets, or the `layout` attribute. */
  property: string;
  /** Its value as CSS, or undefined when left at ScoreFeed's default. */
  css(): string | undefined;
}

const heights = { full: 21.75, compact: 12.5 };

function controls(form: HTMLFormElement): Control[] {
  return [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-property]')].map((input) => ({
    input,
    property: input.dataset.property!,
    css: () => {
      if (input instanceof HTMLInputElement && input.type === 'checkbox') {
        return undefined;
      }
      const enabled = form.querySelector<HTMLInputElement>(`[data-enables="${input.id}"]`);
      if (enabled && !enabled.checked) {
        return undefined;
      }
      const value = input.value.trim();
      return value === '' ? undefined : `${value}${input.dataset.unit ?? ''}`;
    },
  }));
}

/** The CSS a partner pastes for the theme `values` and `layout`. */
export function themeCss(values: [string, string][], layout: 'full' | 'compact', heightRem: number): string {
  const lines = values.map(([property, value]) => `  ${property}: ${value};`);
  const theme = lines.length ? `scorefeed-match, scorefeed-scoreboard {\n${lines.join('\n')}\n}\n` : '';
  return `${theme}/* Reserve the widget's space before its script loads (no layout shift). */\n` +
    `scorefeed-match { display: block; min-height: ${heightRem}rem; }\n` +
    (layout === 'compact' ? '/* and on the element: <scorefeed-match layout="compact" …> */\n' : '');
}

function run(form: HTMLFormElement, output: HTMLElement, widgets: HTMLElement[]): void {
  const all = controls(form);
  const layoutSelect = form.querySelector<HTMLSelectElement>('#theme-layout')!;
  const apply = () => {
    const values: [string, string][] = [];
    for (const control of all) {
      const value = control.css();
      for (const widget of widgets) {
        if (value === undefined) {
          widget.style.removeProperty(control.property);
        } else {
          widget.style.setProperty(control.property, value);
        }
      }
      if (value !== undefined) {
        values.push([control.property, value]);
      }
    }
    const layout = layoutSelect.value === 'compact' ? 'compact' : 'full';
    const match = widgets.find((w) => w.localName === 'scorefeed-match');
    match?.setAttribute('layout', layout);
    const custom = values.find(([p]) => p === '--scorefeed-height');
    const height = custom ? parseFloat(custom[1]) : heights[layout];
    if (match) {
      match.style.setProperty('min-height', `${height}rem`);
    }
    output.textContent = themeCss(values, layout, height);
  };
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('reset', () => setTimeout(apply, 0));
  apply();
}

if (typeof document !== 'undefined') {
  const form = document.getElementById('theme-editor');
  const output = document.getElementById('theme-css');
  if (form instanceof HTMLFormElement && output) {
    run(form, output, [...document.querySelectorAll<HTMLElement>('scorefeed-match, scorefeed-scoreboard')]);
  }
}
