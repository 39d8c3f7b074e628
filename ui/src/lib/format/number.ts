import type { Language } from '../bindings/Language';
import { NUMBER_LOCALE } from './locale';

const cache = new Map<string, Intl.NumberFormat>();

function formatter(lang: Language, digits: number): Intl.NumberFormat {
  const k = `${lang}:${digits}`;
  let f = cache.get(k);
  if (!f) {
    f = new Intl.NumberFormat(NUMBER_LOCALE[lang], {
      maximumFractionDigits: digits,
      minimumFractionDigits: 0,
      useGrouping: true,
    });
    cache.set(k, f);
  }
  return f;
}

/**
 * A number in the user's locale: "12,345" in English, "12 345" in Kazakh and
 * Russian. The grouping separator is always a no-break space in kk/ru (some
 * ICU versions use a narrow one, some a plain one), so text never wraps
 * inside a number and tests see one form.
 */
export function formatNumber(value: number, lang: Language, fractionDigits = 0): string {
  const s = formatter(lang, fractionDigits).format(value);
  return lang === 'en' ? s : s.replace(/[\u202f\u00a0 ]/g, '\u00a0');
}

/**
 * A share of the whole as a whole percent, "42 %": rounded down, so a
 * transfer shows 100 % only when every byte is in.
 */
export function formatPercent(done: number, total: number, lang: Language): string {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  return `${formatNumber(Math.floor(share * 100), lang)}\u00a0%`;
}
