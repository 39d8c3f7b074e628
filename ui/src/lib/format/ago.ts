import * as m from '../../paraglide/messages.js';
import type { Language } from '../bindings/Language';
import { formatNumber } from './number';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago `thenMs` was, as of `nowMs`: "just now", "5 minutes ago",
 * "3 hours ago", "2 days ago". Whole units, rounded down; a clock that
 * went back reads as just now. Only a difference of two instants is used,
 * so the WebView's own time-zone data never matters.
 */
export function formatAgo(thenMs: number, nowMs: number, lang: Language): string {
  const ago = Math.max(0, nowMs - thenMs);
  const count = (unit: number) => {
    const value = Math.floor(ago / unit);
    return { count: value, n: formatNumber(value, lang) };
  };
  if (ago < MINUTE) return m.time_ago_now();
  if (ago < HOUR) return m.time_ago_minutes(count(MINUTE));
  if (ago < DAY) return m.time_ago_hours(count(HOUR));
  return m.time_ago_days(count(DAY));
}
