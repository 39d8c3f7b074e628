import type { Language } from '../bindings/Language';
import { INTL_LOCALE } from './locale';

export type PluralCategory = Intl.LDMLPluralRule;

const cache = new Map<Language, Intl.PluralRules>();

/** The CLDR plural category of a count: ru one/few/many/other, kk and en one/other. */
export function pluralCategory(count: number, lang: Language): PluralCategory {
  let rules = cache.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(INTL_LOCALE[lang]);
    cache.set(lang, rules);
  }
  return rules.select(count);
}
