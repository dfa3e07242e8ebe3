// The words of every page and the widget, one catalog per language (i18n/{lang}.json; the server reads the same
// files: src/ScoreFeed.Web/Localization/Text.cs). Numbers go through Intl with Latin digits, as the server writes
// them, so the script repaints what the server painted with the same text. English is built in; the other languages
// are added: all at once by the pages (i18n/all.ts), one on demand by the widget (widget/words.ts), to stay small.
import en from './en.json';

export type MessageKey = keyof typeof en;
type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
/** One language's messages: a text, or its plural forms chosen by the `n` parameter. */
export type Catalog<K extends string> = Record<K, string | Plural>;

export const languages = ['en', 'es', 'de', 'fr', 'ar'] as const;
export type Language = (typeof languages)[number];

let current: Language = 'en';

/** The first of `candidates` (BCP 47 tags such as "es-MX") that names a language we have, by its primary subtag. */
export function pickLanguage(...candidates: (string | null | undefined)[]): Language {
  for (const candidate of candidates) {
    const primary = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    const found = languages.find((l) => l === primary);
    if (found) {
      return found;
    }
  }
  return 'en';
}

// Intl objects are costly to make: one of each per language.
let plurals = new Intl.PluralRules(current);
let numbers = new Intl.NumberFormat(`${current}-u-nu-latn`);

export function setLanguage(language: Language): void {
  if (language !== current) {
    current = language;
    plurals = new Intl.PluralRules(current);
    numbers = new Intl.NumberFormat(`${current}-u-nu-latn`);
  }
}

export function language(): Language {
  return current;
}

export const isRightToLeft = (l: Language = current): boolean => l === 'ar';

/**
 * A `t` over one set of catalogs, English's keys for all: the pages' and the widget's here, the operator console's
 * apart (operator/words.ts) so that no fan page carries the console's words.
 */
export function translator<K extends string>(catalogs: Partial<Record<Language, Catalog<K>>> & { en: Catalog<K> }): (key: K, params?: Record<string, string | number>) => string {
  return (key, params = {}) => {
    const entry = catalogs[current]?.[key] ?? catalogs.en[key];
    const text = typeof entry === 'string' ? entry : entry[plurals.select(Number(params.n ?? 0))] ?? entry.other;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? (typeof params[name] === 'number' ? formatNumber(params[name] as number) : String(params[name])) : whole);
  };
}

/** The message `key` in the current language with `{name}` parameters filled in; plurals pick by `n`. */
const catalogs: Partial<Record<Language, Catalog<MessageKey>>> & { en: Catalog<MessageKey> } = { en };

export const t = translator<MessageKey>(catalogs);

/** Adds a language's catalog (English's keys; a missing one reads in English). */
export function addCatalog(language: Language, catalog: Catalog<MessageKey>): void {
  catalogs[language] = catalog;
}

export function hasCatalog(language: Language): boolean {
  return catalogs[language] !== undefined;
}

/** A number as the pages show it: grouped for the language, Latin digits (the server's ToString does the same). */
export function formatNumber(n: number): string {
  return numbers.format(n);
}
