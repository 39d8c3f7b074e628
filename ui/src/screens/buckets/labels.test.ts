import { afterEach, expect, it } from 'vitest';
import type { BucketNameProblem } from '../../lib/bindings/BucketNameProblem';
import { setLocale } from '../../paraglide/runtime.js';
import { classLabel, nameProblemText, typeLabel } from './labels';

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
  const problems: BucketNameProblem[] = [
    'too_short',
    'too_long',
    'uppercase',
    'invalid_character',
    'bad_edge',
    'consecutive_dots',
    'dot_next_to_hyphen',
    'ip_address',
    'reserved_prefix',
    'reserved_suffix',
  ];
  for (const lang of ['kk', 'ru', 'en'] as const) {
    setLocale(lang, { reload: false });
    const texts = problems.map(nameProblemText);
    expect(new Set(texts).size, lang).toBe(problems.length);
  }
  setLocale('en', { reload: false });
  expect(nameProblemText('ip_address')).toContain('IP address');
  expect(nameProblemText('consecutive_dots')).toContain('..');
});
