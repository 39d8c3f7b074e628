// The same helpers in Chromium, whose ICU build differs from Node's (it has no
// Kazakh data): the output must not depend on the engine's locale data.
import { expect, it } from 'vitest';
import { formatDateTime, formatNumber, formatSize } from './index';

const NBSP = '\u00a0';
const t = { utcMs: Date.UTC(2026, 10, 24, 9, 5), offsetS: 5 * 3600 };

it('formats kk/ru/en the same way as in Node', () => {
  expect(formatNumber(1234.5, 'kk', 1)).toBe(`1${NBSP}234,5`);
  expect(formatNumber(12345, 'ru')).toBe(`12${NBSP}345`);
  expect(formatNumber(12345, 'en')).toBe('12,345');
  expect(formatSize(1_200_000_000, 'kk')).toBe(`1,2${NBSP}ГБ`);
  expect(formatDateTime(t, 'kk')).toBe('24.11.2026, 14:05');
  expect(formatDateTime(t, 'ru')).toBe('24.11.2026, 14:05');
  expect(formatDateTime(t, 'en')).toBe('24 Nov 2026, 14:05');
});
