export { formatNumber, formatPercent } from './number';
export { formatSize } from './size';
export { formatAgo } from './ago';
export { formatDate, formatDateTime, wallClock } from './date';
export { pluralCategory } from './plural';
export { INTL_LOCALE, NUMBER_LOCALE, languageFromOsLocale } from './locale';
