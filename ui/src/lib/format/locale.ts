import type { Language } from '../bindings/Language';

/** BCP 47 tags used with Intl for each UI language. */
export const INTL_LOCALE: Record<Language, string> = {
  kk: 'kk-KZ',
  ru: 'ru-RU',
  en: 'en-GB',
};

/**
 * The locale whose number format is used. Kazakh and Russian write numbers the
 * same way (no-break space between thousands, comma before decimals); some ICU
 * builds (Chromium's) carry no Kazakh data and would fall back to "1,234.5",
 * so Kazakh numbers use the Russian data, which every build has.
 */
export const NUMBER_LOCALE: Record<Language, string> = {
  kk: 'ru-RU',
  ru: 'ru-RU',
  en: 'en-GB',
};

/** The UI language for an OS locale such as "kk_KZ.UTF-8", "ru-RU" or "de". */
export function languageFromOsLocale(osLocale: string | null | undefined): Language {
  const tag = (osLocale ?? '').trim().toLowerCase();
  if (tag.startsWith('kk')) return 'kk';
  if (tag.startsWith('ru')) return 'ru';
  return 'en';
}
