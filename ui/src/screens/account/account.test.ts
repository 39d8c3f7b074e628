// The account page's words and numbers, without a window.
import { afterEach, describe, expect, it } from 'vitest';
import { applyLanguage } from '../../lib/i18n.svelte';
import { at, GB, NOW, outage, usage } from './fake-account-api';
import { bytesToGigabytes, gigabytesToBytes, parseAmount, parseCount } from './limits';
import { meters, quotaRequestText } from './meters';
import { bothClocks, outageReportText, wallTime } from './outage';

const NBSP = '\u00a0';

afterEach(() => applyLanguage('en'));

describe('typed limits', () => {
  it('take a comma or a point and spaces, and nothing that is not a number', () => {
    expect(parseAmount('2,5')).toBe(2.5);
    expect(parseAmount(' 1 000 ')).toBe(1000);
    expect(parseAmount('.5')).toBe(0.5);
    for (const bad of ['', '-1', '1e3', '10 GB', 'abc', '1,2,3']) expect(parseAmount(bad)).toBeNull();
    expect(parseCount('12')).toBe(12);
    expect(parseCount('1,5')).toBeNull();
  });

  it('gigabytes are decimal, as every size in the app is shown, and round-trip', () => {
    expect(gigabytesToBytes('2,5')).toBe(2_500_000_000);
    expect(bytesToGigabytes(2_500_000_000)).toBe('2.5');
    expect(bytesToGigabytes(null)).toBe('');
    expect(gigabytesToBytes(bytesToGigabytes(10 * GB))).toBe(10 * GB);
  });
});

describe('meters', () => {
  it('read in Russian with its plural-free units and the level of each', () => {
    applyLanguage('ru');
    const [space, objects, buckets] = meters(usage({ bucketsLevel: 'critical', bucketCount: 99 }), 'ru');
    expect([space.label, space.used, space.limit, space.share, space.level]).toEqual(['Объём', `8,5${NBSP}ГБ`, `10${NBSP}ГБ`, 0.85, 'warning']);
    expect([objects.used, objects.limit, objects.share]).toEqual([`1${NBSP}200`, null, null]);
    expect([buckets.used, buckets.limit, buckets.level]).toEqual(['99', '100', 'critical']);
  });

  it('a limit of nothing is full', () => {
    const [space] = meters(usage({ bytes: 0, limits: { maxBytes: 0, maxObjects: null, maxBuckets: null } }), 'en');
    expect(space.share).toBe(1);
  });

  it('the request for more quota is written in the window’s language', () => {
    applyLanguage('kk');
    const text = quotaRequestText(usage(), 'Work', 'https://s3.example.kz', 'kk');
    expect(text.split('\n')).toEqual([
      'Сәлеметсіз бе! Объектілі қоймадағы тіркелгімнің квотасын арттыруды сұраймын.',
      '',
      'Тіркеулік жазба: Work',
      'Қойма мекенжайы: https://s3.example.kz',
      `Көлем: 10${NBSP}ГБ ішінен 8,5${NBSP}ГБ`,
      `Объектілер: 1${NBSP}200 пайдаланылды`,
      'Бакеттер: 100 ішінен 2',
      '',
      'Рақмет!',
    ]);
  });
});

describe('outage words', () => {
  it('times read on the computer’s clock and in UTC', () => {
    const start = at(NOW - 15 * 60_000);
    expect(wallTime(start)).toBe('13:45');
    expect(bothClocks(start, 'ru')).toBe('02.12.2026, 13:45 (UTC+05:00) · 02.12.2026, 08:45 UTC');
    expect(bothClocks({ utcMs: NOW, offsetS: -(3 * 3600 + 30 * 60) }, 'en')).toBe('02 Dec 2026, 05:30 (UTC-03:30) · 02 Dec 2026, 09:00 UTC');
  });

  it('the report names every kind of failure seen', () => {
    const text = outageReportText(outage({ errorKinds: ['timeout', 'server_error'] }), 'Work', 'https://s3.example.kz', 'en');
    expect(text.split('\n').at(-1)).toBe('What the app saw: no answer in time, server error');
  });
});
