import type { Language } from '../bindings/Language';
import type { LocalTime } from '../bindings/LocalTime';

let enDate: Intl.DateTimeFormat | null = null;
let enDateTime: Intl.DateTimeFormat | null = null;

/** The wall-clock instant of a LocalTime, as a Date whose UTC fields are local. */
export function wallClock(t: LocalTime): Date {
  return new Date(t.utcMs + t.offsetS * 1000);
}

const pad = (n: number) => String(n).padStart(2, '0');

// Kazakh and Russian both write "24.11.2026, 14:05". It is assembled here
// rather than through Intl, because ICU builds differ in their Kazakh data.
function dotted(d: Date, withTime: boolean): string {
  const date = `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
  return withTime ? `${date}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : date;
}

function english(d: Date, withTime: boolean): string {
  const options: Intl.DateTimeFormatOptions = {
    // The wall-clock time was computed in Rust with the system's time-zone
    // database; the WebView's own zone data is never consulted.
    timeZone: 'UTC',
    year: 'numeric',
    month: 'short',
    day: '2-digit',
  };
  if (withTime) {
    enDateTime ??= new Intl.DateTimeFormat('en-GB', { ...options, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return enDateTime.format(d);
  }
  enDate ??= new Intl.DateTimeFormat('en-GB', options);
  return enDate.format(d);
}

/** "24.11.2026, 14:05" (kk/ru), "24 Nov 2026, 14:05" (en). */
export function formatDateTime(t: LocalTime | null | undefined, lang: Language): string {
  if (!t) return '';
  const d = wallClock(t);
  return lang === 'en' ? english(d, true) : dotted(d, true);
}

/** "24.11.2026" (kk/ru), "24 Nov 2026" (en). */
export function formatDate(t: LocalTime | null | undefined, lang: Language): string {
  if (!t) return '';
  const d = wallClock(t);
  return lang === 'en' ? english(d, false) : dotted(d, false);
}
