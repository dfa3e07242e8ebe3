// The console's words, one catalog per language (i18n/operator/{lang}.json, read by the server too for the page it
// paints), apart from the fan pages' so that no fan page or widget carries them. The language is the page's
// (<html lang>, set by request localization); dates and times through Intl in that language.
import ar from '../i18n/operator/ar.json';
import de from '../i18n/operator/de.json';
import en from '../i18n/operator/en.json';
import es from '../i18n/operator/es.json';
import fr from '../i18n/operator/fr.json';
import { language, translator } from '../i18n';

export type OperatorKey = keyof typeof en;

/** An operator message in the page's language. */
export const ot = translator<OperatorKey>({ en, es, de, fr, ar });

/** Whether `key` names a message (for words made from data: `op.state.${status}`). */
export function isOperatorKey(key: string): key is OperatorKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

let dateTimes: { language: string; format: Intl.DateTimeFormat } | undefined;

/** A moment as the audit and the pins show it: short date, time to the second, in the page's language. */
export function formatDateTime(at: number | Date): string {
  if (dateTimes?.language !== language()) {
    dateTimes = { language: language(), format: new Intl.DateTimeFormat(`${language()}-u-nu-latn`, { dateStyle: 'short', timeStyle: 'medium' }) };
  }
  return dateTimes.format.format(at);
}

/** Short phrases joined as the language joins a list ("a, b, c"; Arabic with its own comma). */
export function joinParts(parts: string[]): string {
  return new Intl.ListFormat(language(), { type: 'unit', style: 'short' }).format(parts);
}
