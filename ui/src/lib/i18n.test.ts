import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as m from '../paraglide/messages.js';
import { getLocale, setLocale } from '../paraglide/runtime.js';
import type { Language } from './bindings/Language';
import { pluralCategory } from './format/plural';
import { applyLanguage, plural, resolveLanguage } from './i18n.svelte';

const LANGS: Language[] = ['kk', 'ru', 'en'];
const root = resolve(__dirname, '../..');
const load = (lang: Language): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(root, `messages/${lang}.json`), 'utf8'));
const files = Object.fromEntries(LANGS.map((l) => [l, load(l)])) as Record<Language, Record<string, unknown>>;

type Variant = { declarations: string[]; selectors: string[]; match: Record<string, string> };

afterEach(() => setLocale('en', { reload: false }));

describe('message files', () => {
  it('have exactly the same keys in kk, ru and en', () => {
    const en = Object.keys(files.en).sort();
    expect(en.length).toBeGreaterThan(50);
    for (const lang of ['kk', 'ru'] as const) {
      const keys = Object.keys(files[lang]).sort();
      expect(keys.filter((k) => !en.includes(k)), `extra keys in ${lang}`).toEqual([]);
      expect(en.filter((k) => !keys.includes(k)), `missing keys in ${lang}`).toEqual([]);
    }
  });

  it('have no empty message and use the same placeholders in every language', () => {
    const placeholders = (v: unknown): string[] => {
      const text = typeof v === 'string' ? v : Object.values((v as Variant[])[0].match).join(' ');
      return [...new Set(text.match(/\{[a-zA-Z]+\}/g) ?? [])].sort();
    };
    for (const key of Object.keys(files.en)) {
      for (const lang of LANGS) {
        const value = files[lang][key];
        if (typeof value === 'string') expect(value.trim(), `${lang}.${key}`).not.toBe('');
        expect(placeholders(value), `${lang}.${key}`).toEqual(placeholders(files.en[key]));
      }
    }
  });

  it('give every plural message exactly the categories of its language', () => {
    const expected: Record<Language, string[]> = { ru: ['few', 'many', 'one', 'other'], kk: ['one', 'other'], en: ['one', 'other'] };
    let count = 0;
    for (const lang of LANGS) {
      for (const [key, value] of Object.entries(files[lang])) {
        if (!Array.isArray(value)) continue;
        count++;
        const cats = Object.keys((value[0] as Variant).match).map((k) => k.split('=')[1]).sort();
        expect(cats, `${lang}.${key}`).toEqual(expected[lang]);
      }
    }
    expect(count).toBeGreaterThanOrEqual(12);
  });

  it('have a message and a next step for every error code', () => {
    const codes = readFileSync(resolve(root, 'src/lib/bindings/ErrorCode.ts'), 'utf8').match(/"([a-z_]+)"/g)!.map((s) => s.slice(1, -1));
    // Guards the parsing above: the type lists every code as a string literal.
    expect(codes).toContain('quota_exceeded');
    for (const code of codes) {
      for (const lang of ['kk', 'ru', 'en'] as const) {
        expect(files[lang]).toHaveProperty(`error_${code}`);
        expect(files[lang]).toHaveProperty(`error_${code}_next`);
      }
    }
  });

  it('use the provider glossary in Kazakh', () => {
    expect(files.kk.buckets_title).toBe('Бакеттер');
    expect(String(files.kk.welcome_text)).toContain('Объектілі қойма'.toLowerCase());
    expect(String(files.kk.endpoint_help)).toContain('Жеке кабинет');
    expect(String(files.ru.endpoint_help)).toContain('личном кабинете');
  });
});

describe('plural forms', () => {
  const connected = (lang: Language, n: number) => {
    applyLanguage(lang);
    return plural(m.test_success, n);
  };

  it('Russian: one / few / many', () => {
    expect(connected('ru', 1)).toBe('Подключено — 1 бакет');
    expect(connected('ru', 21)).toBe('Подключено — 21 бакет');
    expect(connected('ru', 3)).toBe('Подключено — 3 бакета');
    expect(connected('ru', 22)).toBe('Подключено — 22 бакета');
    expect(connected('ru', 5)).toBe('Подключено — 5 бакетов');
    expect(connected('ru', 11)).toBe('Подключено — 11 бакетов');
    expect(connected('ru', 0)).toBe('Подключено — 0 бакетов');
    applyLanguage('ru');
    expect(plural(m.loaded_progress, 12345)).toBe('Загружено 12\u00a0345 записей…');
    expect(plural(m.loaded_progress, 1)).toBe('Загружена 1 запись…');
    expect(plural(m.loaded_progress, 2)).toBe('Загружено 2 записи…');
  });

  it('English: one / other', () => {
    expect(connected('en', 1)).toBe('Connected — 1 bucket');
    expect(connected('en', 2)).toBe('Connected — 2 buckets');
    expect(connected('en', 0)).toBe('Connected — 0 buckets');
    applyLanguage('en');
    expect(plural(m.loaded_progress, 12345)).toBe('Loaded 12,345 entries…');
  });

  it('Kazakh: one / other', () => {
    expect(pluralCategory(1, 'kk')).toBe('one');
    expect(pluralCategory(5, 'kk')).toBe('other');
    expect(connected('kk', 1)).toBe('Қосылды — 1 бакет');
    expect(connected('kk', 7)).toBe('Қосылды — 7 бакет');
    applyLanguage('kk');
    expect(plural(m.entries_count, 100000)).toBe('100\u00a0000 элемент');
  });

  it('switching the language switches every message', () => {
    applyLanguage('kk');
    expect(getLocale()).toBe('kk');
    expect(m.buckets_title()).toBe('Бакеттер');
    applyLanguage('ru');
    expect(m.buckets_title()).toBe('Бакеты');
    applyLanguage('en');
    expect(m.buckets_title()).toBe('Buckets');
  });
});

describe('language choice', () => {
  it('follows the OS unless chosen', () => {
    expect(resolveLanguage(null, 'kk_KZ.UTF-8')).toBe('kk');
    expect(resolveLanguage(null, 'ru-RU')).toBe('ru');
    expect(resolveLanguage(null, 'en-US')).toBe('en');
    expect(resolveLanguage(null, 'de-DE')).toBe('en');
    expect(resolveLanguage(null, null)).toBe('en');
    expect(resolveLanguage('kk', 'ru-RU')).toBe('kk');
  });
});
