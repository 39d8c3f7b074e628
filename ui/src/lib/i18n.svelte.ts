// The UI language: Paraglide's compiled messages plus one reactive value that
// screens key on, so a language change re-renders them.
import { getLocale, setLocale } from '../paraglide/runtime.js';
import type { Language } from './bindings/Language';
import { formatNumber } from './format/number';
import { languageFromOsLocale } from './format/locale';

let current = $state<Language>(getLocale() as Language);

export const i18n = {
  get lang(): Language {
    return current;
  },
};

export function applyLanguage(lang: Language): void {
  setLocale(lang, { reload: false });
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** The language to use: the chosen one, else the OS one (kk/ru/en, else en). */
export function resolveLanguage(chosen: Language | null, osLocale: string | null): Language {
  return chosen ?? languageFromOsLocale(osLocale);
}

type CountMessage = (inputs: { count: number; n: string }) => string;

/** A plural message with the count formatted in the current locale. */
export function plural(message: CountMessage, count: number): string {
  return message({ count, n: formatNumber(count, current) });
}
