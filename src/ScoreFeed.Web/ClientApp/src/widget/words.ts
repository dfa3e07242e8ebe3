// The widget's words in a language other than English (built in), loaded on demand so that a partner's page pays for
// its own language only: /widget-i18n/{lang}.js from the widget's own origin (which the page's CSP already allows as
// a script source) adds its catalog through the one global below. If it cannot load, the widget speaks English.
import { addCatalog, hasCatalog, type Catalog, type Language, type MessageKey } from '../i18n';

declare global {
  interface Window {
    __scorefeedCatalog?: (language: Language, catalog: Catalog<MessageKey>) => void;
  }
}

const loading = new Map<Language, Promise<void>>();

export function loadWords(language: Language, origin: string): Promise<void> {
  if (hasCatalog(language)) {
    return Promise.resolve();
  }
  let pending = loading.get(language);
  if (!pending) {
    window.__scorefeedCatalog ??= (l, catalog) => addCatalog(l, catalog);
    pending = new Promise<void>((resolve) => {
      const script = document.createElement('script');
      script.src = `${origin}/widget-i18n/${language}.js`;
      script.async = true;
      script.onload = script.onerror = () => resolve();
      document.head.append(script);
    });
    loading.set(language, pending);
  }
  return pending;
}
