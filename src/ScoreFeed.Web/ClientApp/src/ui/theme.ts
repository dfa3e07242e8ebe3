// The header's theme toggle, shared by the fan pages and the operator console.

/** The theme toggle: light or dark, remembered in a cookie the server reads (so the first paint is right). */
export function setUpTheme(): void {
  const button = document.getElementById('sf-theme');
  if (!button) {
    return;
  }
  const root = document.documentElement;
  const dark = () => (root.dataset.theme || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')) === 'dark';
  button.setAttribute('aria-pressed', String(dark()));
  button.hidden = false;
  button.addEventListener('click', () => {
    const theme = dark() ? 'light' : 'dark';
    root.dataset.theme = theme;
    button.setAttribute('aria-pressed', String(theme === 'dark'));
    document.cookie = `sf-theme=${theme}; path=/; max-age=31536000; samesite=lax`;
  });
}
