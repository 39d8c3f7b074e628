// Words for an outage: the time it began, the kinds of failure seen, and
// the report a customer sends to support.
import * as m from '../../paraglide/messages.js';
import type { Language } from '../../lib/bindings/Language';
import type { LocalTime } from '../../lib/bindings/LocalTime';
import type { OutageErrorKind } from '../../lib/bindings/OutageErrorKind';
import type { OutageView } from '../../lib/bindings/OutageView';
import { formatDateTime, wallClock } from '../../lib/format';

const pad = (n: number) => String(n).padStart(2, '0');

/** "14:02", on the computer's clock. */
export function wallTime(t: LocalTime): string {
  const d = wallClock(t);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "+05:00" */
function offset(t: LocalTime): string {
  const sign = t.offsetS < 0 ? '-' : '+';
  const abs = Math.abs(t.offsetS);
  return `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}`;
}

/** "02.12.2026, 14:02 (UTC+05:00) · 02.12.2026, 09:02 UTC" */
export function bothClocks(t: LocalTime, lang: Language): string {
  return `${formatDateTime(t, lang)} (UTC${offset(t)}) · ${formatDateTime({ utcMs: t.utcMs, offsetS: 0 }, lang)} UTC`;
}

export function errorKindText(kind: OutageErrorKind): string {
  switch (kind) {
    case 'refused':
      return m.outage_kind_refused();
    case 'reset':
      return m.outage_kind_reset();
    case 'timeout':
      return m.outage_kind_timeout();
    case 'server_error':
      return m.outage_kind_server_error();
    case 'unreachable':
      return m.outage_kind_unreachable();
  }
}

/** The message to paste to the support bot, in the window's language. */
export function outageReportText(outage: OutageView, account: string, endpoint: string, lang: Language): string {
  return [
    m.outage_report_opening(),
    '',
    `${m.quota_request_account()}: ${account}`,
    `${m.quota_request_endpoint()}: ${endpoint}`,
    `${m.outage_report_since()}: ${bothClocks(outage.start, lang)}`,
    `${m.outage_report_seen()}: ${outage.errorKinds.map(errorKindText).join(', ')}`,
  ].join('\n');
}
