// Keeps the widget's text readable (WCAG AA: 4.5:1) whatever colours a partner sets through the theming API
// (--scorefeed-* on the element, docs/embedding.md "Theming"): each text colour ScoreFeed draws is checked against
// every surface it is drawn on, as the browser resolves them (light or dark theme included); one that falls short is
// replaced, for this widget only, by black or white, whichever reads best on all of its surfaces.

/** Each text colour and the surfaces it is drawn on. */
const pairs: Record<string, string[]> = {
  '--sf-text': ['--sf-bg', '--sf-surface'],
  '--sf-muted': ['--sf-bg', '--sf-surface'],
  '--sf-accent': ['--sf-bg', '--sf-surface'],
  '--sf-live-text': ['--sf-live'],
};

/** The partner-facing properties whose change means checking again. */
const inputs = ['--scorefeed-background', '--scorefeed-surface', '--scorefeed-text', '--scorefeed-muted', '--scorefeed-accent', '--scorefeed-live'];

type Rgb = [number, number, number];

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" / "rgb(1 2 3)" as the browser writes a resolved colour; undefined for others. */
export function parseRgb(text: string): Rgb | undefined {
  const match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Black or white: whichever has the best worst ratio over `surfaces`. */
export function readableOn(surfaces: Rgb[]): string {
  const worst = (c: Rgb) => Math.min(...surfaces.map((s) => contrastRatio(c, s)));
  return worst([0, 0, 0]) >= worst([255, 255, 255]) ? '#000000' : '#ffffff';
}

/**
 * The properties to override so that every text colour reads at 4.5:1 on its surfaces. When no colour can (a dark
 * background beside light cards), the cards take the background's colour first.
 */
export function fixes(colours: Map<string, Rgb | undefined>): [string, string][] {
  const changes: [string, string][] = [];
  const worst = (fg: Rgb, surfaces: string[]) => Math.min(...surfaces.map((s) => colours.get(s)).filter((c): c is Rgb => c !== undefined).map((bg) => contrastRatio(fg, bg)));
  const bg = colours.get('--sf-bg');
  const surface = colours.get('--sf-surface');
  if (bg && surface && [[0, 0, 0], [255, 255, 255]].every((c) => worst(c as Rgb, ['--sf-bg', '--sf-surface']) < 4.5)) {
    colours.set('--sf-surface', bg);
    changes.push(['--sf-surface', `rgb(${bg.join(' ')})`]);
  }
  for (const [text, surfaces] of Object.entries(pairs)) {
    const fg = colours.get(text);
    if (fg && worst(fg, surfaces) < 4.5) {
      changes.push([text, readableOn(surfaces.map((s) => colours.get(s)).filter((c): c is Rgb => c !== undefined))]);
    }
  }
  return changes;
}

/** Checks the widget's colours now if what the partner set (or the theme) changed since the last call. */
export class ContrastGuard {
  private last = '';
  private readonly fixed = new Set<string>();

  constructor(
    private readonly host: HTMLElement,
    private readonly root: HTMLElement,
  ) {}

  check(): void {
    const style = getComputedStyle(this.host);
    const signature = [...inputs.map((p) => style.getPropertyValue(p)), this.host.getAttribute('theme'), matchMedia('(prefers-color-scheme: dark)').matches].join('|');
    if (signature === this.last) {
      return;
    }
    this.last = signature;
    this.fixed.forEach((p) => this.root.style.removeProperty(p));
    this.fixed.clear();
    const probe = document.createElement('span');
    probe.hidden = true;
    this.root.append(probe);
    const colours = new Map<string, Rgb | undefined>();
    for (const property of new Set([...Object.keys(pairs), ...Object.values(pairs).flat()])) {
      probe.style.color = `var(${property})`;
      colours.set(property, parseRgb(getComputedStyle(probe).color));
    }
    probe.remove();
    const changes = fixes(colours);
    for (const [property, colour] of changes) {
      this.root.style.setProperty(property, colour);
      this.fixed.add(property);
    }
  }
}
