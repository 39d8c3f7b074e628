import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import type { BucketNameProblem } from '../../lib/bindings/BucketNameProblem';
import { setLocale } from '../../paraglide/runtime.js';
import { classLabel, isNameProblem, nameProblemText, typeLabel } from './labels';

afterEach(() => setLocale('en', { reload: false }));

it('names types and classes with the provider’s own words', () => {
  setLocale('kk', { reload: false });
  expect(classLabel('standard')).toBe('Стандартты сақтау');
  expect(classLabel('cold')).toBe('Салқын қойма');
  setLocale('ru', { reload: false });
  expect(classLabel('standard')).toBe('Стандартное хранение');
  expect(classLabel('cold')).toBe('Холодное хранение');
  setLocale('en', { reload: false });
  expect(classLabel('cold')).toBe('Cold storage');
  expect(typeLabel('public-read')).toBe('Public read');
});

it('explains every naming rule in every language', () => {
  // Every value the engine can send, read from the generated type itself.
  const source = readFileSync(fileURLToPath(new URL('../../lib/bindings/BucketNameProblem.ts', import.meta.url)), 'utf8');
  const declared = source.slice(source.indexOf('export type BucketNameProblem'));
  const problems = [...declared.matchAll(/"([a-z_]+)"/g)].map((match) => match[1]);
  expect(problems.length).toBeGreaterThanOrEqual(10);
  for (const p of problems) expect(isNameProblem(p), p).toBe(true);

  const texts = (lang: 'kk' | 'ru' | 'en') => {
    setLocale(lang, { reload: false });
    return problems.map((p) => nameProblemText(p as BucketNameProblem));
  };
  const en = texts('en');
  for (const lang of ['kk', 'ru', 'en'] as const) {
    const own = texts(lang);
    expect(new Set(own).size, lang).toBe(problems.length);
    for (const [i, text] of own.entries()) {
      expect(text.trim(), `${lang} ${problems[i]}`).not.toBe('');
      // Each rule in kk and ru is written in that language, not left in English.
      if (lang !== 'en') expect(text, `${lang} ${problems[i]}`).not.toBe(en[i]);
      if (lang !== 'en') expect(text, `${lang} ${problems[i]}`).toMatch(/[а-яёәғқңөұүһі]/i);
    }
  }
  setLocale('en', { reload: false });
  expect(nameProblemText('ip_address')).toContain('IP address');
  expect(nameProblemText('consecutive_dots')).toContain('..');
  expect(nameProblemText('invalid_character')).toContain('Latin');
});
