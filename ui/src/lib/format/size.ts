import type { Language } from '../bindings/Language';
import { formatNumber } from './number';

const UNITS: Record<Language, readonly string[]> = {
  en: ['B', 'KB', 'MB', 'GB', 'TB', 'PB'],
  ru: ['Б', 'КБ', 'МБ', 'ГБ', 'ТБ', 'ПБ'],
  kk: ['Б', 'КБ', 'МБ', 'ГБ', 'ТБ', 'ПБ'],
};

/**
 * A byte count for people: "1.2 GB" / "1,2 ГБ". Decimal units (1 KB = 1,000
 * bytes), as storage providers bill. One decimal below 100 of a unit, none
 * above; bytes are always whole.
 */
export function formatSize(bytes: number, lang: Language): string {
  const units = UNITS[lang];
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  let digits = unit === 0 || value >= 100 ? 0 : 1;
  // 999.6 KB would print as "1000 KB": move to the next unit instead.
  const rounded = Math.round(value * 10 ** digits) / 10 ** digits;
  if (unit > 0 && unit < units.length - 1 && rounded >= 1000) {
    value /= 1000;
    unit++;
    digits = 1;
  }
  return `${formatNumber(value, lang, digits)}\u00a0${units[unit]}`;
}
