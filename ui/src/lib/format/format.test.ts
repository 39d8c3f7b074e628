import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, formatPercent, formatSize, languageFromOsLocale, pluralCategory } from './index';

const NBSP = '\u00a0';

describe('formatNumber', () => {
  it('groups thousands per locale', () => {
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(12345, 'ru')).toBe(`12${NBSP}345`);
    expect(formatNumber(12345, 'kk')).toBe(`12${NBSP}345`);
    expect(formatNumber(1234.5, 'kk', 1)).toBe(`1${NBSP}234,5`);
    expect(formatNumber(1234.5, 'ru', 1)).toBe(`1${NBSP}234,5`);
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatNumber(999, 'ru')).toBe('999');
  });
});

describe('formatPercent', () => {
  it('rounds down and never passes 100', () => {
    expect(formatPercent(42.9, 100, 'en')).toBe(`42${NBSP}%`);
    expect(formatPercent(999, 1000, 'ru')).toBe(`99${NBSP}%`);
    expect(formatPercent(5, 5, 'kk')).toBe(`100${NBSP}%`);
    expect(formatPercent(7, 5, 'en')).toBe(`100${NBSP}%`);
    expect(formatPercent(0, 0, 'en')).toBe(`0${NBSP}%`);
  });
});

describe('formatSize', () => {
  it('uses decimal units with one decimal below 100', () => {
    expect(formatSize(0, 'en')).toBe(`0${NBSP}B`);
    expect(formatSize(999, 'en')).toBe(`999${NBSP}B`);
    expect(formatSize(1000, 'en')).toBe(`1${NBSP}KB`);
    expect(formatSize(1500, 'en')).toBe(`1.5${NBSP}KB`);
    expect(formatSize(1_200_000_000, 'en')).toBe(`1.2${NBSP}GB`);
    expect(formatSize(1_200_000_000, 'ru')).toBe(`1,2${NBSP}ГБ`);
    expect(formatSize(1_200_000_000, 'kk')).toBe(`1,2${NBSP}ГБ`);
    expect(formatSize(250_400_000, 'en')).toBe(`250${NBSP}MB`);
  });

  it('never shows 1000 of a unit', () => {
    expect(formatSize(999_960, 'en')).toBe(`1${NBSP}MB`);
    expect(formatSize(999_600, 'en')).toBe(`1${NBSP}MB`);
    expect(formatSize(999_499, 'en')).toBe(`999${NBSP}KB`);
    expect(formatSize(99_960, 'en')).toBe(`100${NBSP}KB`);
  });

  it('groups large values in kk/ru', () => {
    expect(formatSize(1_234_500 * 1e15, 'ru')).toBe(`1${NBSP}234${NBSP}500${NBSP}ПБ`);
    expect(formatSize(-1, 'en')).toBe('');
  });
});

describe('dates from LocalTime', () => {
  // 2026-11-24 09:05 UTC; Almaty is UTC+5 since 2024: 14:05 there.
  const t = { utcMs: Date.UTC(2026, 10, 24, 9, 5), offsetS: 5 * 3600 };

  it('shows the wall-clock time computed by Rust, not the WebView zone', () => {
    expect(formatDateTime(t, 'ru')).toBe('24.11.2026, 14:05');
    expect(formatDateTime(t, 'kk')).toBe('24.11.2026, 14:05');
    expect(formatDateTime(t, 'en')).toBe('24 Nov 2026, 14:05');
  });

  it('crosses midnight with the offset', () => {
    const late = { utcMs: Date.UTC(2026, 11, 31, 20, 30), offsetS: 5 * 3600 };
    expect(formatDate(late, 'ru')).toBe('01.01.2027');
    const west = { utcMs: Date.UTC(2026, 0, 1, 2, 0), offsetS: -5 * 3600 };
    expect(formatDateTime(west, 'en')).toBe('31 Dec 2025, 21:00');
  });

  it('shows nothing for a missing time', () => {
    expect(formatDateTime(null, 'en')).toBe('');
    expect(formatDate(undefined, 'kk')).toBe('');
  });
});

describe('plural categories', () => {
  it('Russian one/few/many', () => {
    expect([1, 21, 101].map((n) => pluralCategory(n, 'ru'))).toEqual(['one', 'one', 'one']);
    expect([2, 3, 4, 22, 104].map((n) => pluralCategory(n, 'ru'))).toEqual(['few', 'few', 'few', 'few', 'few']);
    expect([0, 5, 11, 12, 14, 25, 100].map((n) => pluralCategory(n, 'ru'))).toEqual(Array(7).fill('many'));
    expect(pluralCategory(1.5, 'ru')).toBe('other');
  });

  it('Kazakh and English one/other', () => {
    expect([1, 2, 5, 21].map((n) => pluralCategory(n, 'kk'))).toEqual(['one', 'other', 'other', 'other']);
    expect([1, 2, 0].map((n) => pluralCategory(n, 'en'))).toEqual(['one', 'other', 'other']);
  });
});

describe('OS locale', () => {
  it('maps to kk/ru/en', () => {
    expect(languageFromOsLocale('kk-KZ')).toBe('kk');
    expect(languageFromOsLocale('KK')).toBe('kk');
    expect(languageFromOsLocale('ru_RU.UTF-8')).toBe('ru');
    expect(languageFromOsLocale('fr-FR')).toBe('en');
    expect(languageFromOsLocale('')).toBe('en');
  });
});
