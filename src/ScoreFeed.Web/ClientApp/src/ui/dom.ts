// DOM helpers. Feed text (team names, players, details) only ever goes through textContent: it is never
// parsed as HTML, whatever it contains.

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value);
    }
  }
  for (const child of children) {
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Sets an element's text if it changed (no needless layout work every second). */
export function setText(element: Element | null | undefined, text: string): void {
  if (element && element.textContent !== text) {
    element.textContent = text;
  }
}

export function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T | null {
  return root.querySelector<T>(selector);
}

/** Restarts a short highlight animation (CSS class `sf-flash`). */
export function flash(element: Element | null): void {
  if (!element) {
    return;
  }
  element.classList.remove('sf-flash');
  // Reading layout restarts the CSS animation when the class comes back.
  void (element as HTMLElement).offsetWidth;
  element.classList.add('sf-flash');
  setTimeout(() => element.classList.remove('sf-flash'), 2600);
}

/** An element the page's markup is known to hold. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
