// The three meters of an account's usage, as words and shares.
import * as m from '../../paraglide/messages.js';
import type { Language } from '../../lib/bindings/Language';
import type { Level } from '../../lib/bindings/Level';
import type { Usage } from '../../lib/bindings/Usage';
import { formatDateTime, formatNumber, formatSize } from '../../lib/format';

export type MeterText = { key: 'bytes' | 'objects' | 'buckets'; label: string; used: string; limit: string | null; share: number | null; level: Level };

function share(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  return limit === 0 ? 1 : used / limit;
}

export function meters(usage: Usage, lang: Language): MeterText[] {
  const { limits } = usage;
  return [
    {
      key: 'bytes',
      label: m.usage_bytes(),
      used: formatSize(usage.bytes, lang),
      limit: limits.maxBytes === null ? null : formatSize(limits.maxBytes, lang),
      share: share(usage.bytes, limits.maxBytes),
      level: usage.bytesLevel,
    },
    {
      key: 'objects',
      label: m.usage_objects(),
      used: formatNumber(usage.objects, lang),
      limit: limits.maxObjects === null ? null : formatNumber(limits.maxObjects, lang),
      share: share(usage.objects, limits.maxObjects),
      level: usage.objectsLevel,
    },
    {
      key: 'buckets',
      label: m.usage_buckets(),
      used: formatNumber(usage.bucketCount, lang),
      limit: limits.maxBuckets === null ? null : formatNumber(limits.maxBuckets, lang),
      share: share(usage.bucketCount, limits.maxBuckets),
      level: usage.bucketsLevel,
    },
  ];
}

/** The request to support for more quota, in the window's language. */
export function quotaRequestText(usage: Usage, account: string, endpoint: string, lang: Language): string {
  const lines = meters(usage, lang).map((meter) =>
    meter.limit === null ? `${meter.label}: ${m.usage_used_alone({ used: meter.used })}` : `${meter.label}: ${m.usage_used_of({ used: meter.used, limit: meter.limit })}`,
  );
  return [m.quota_request_opening(), '', `${m.quota_request_account()}: ${account}`, `${m.quota_request_endpoint()}: ${endpoint}`, ...lines, '', m.quota_request_closing()].join('\n');
}

/**
 * The numbers behind a quota refusal, by the last measurement: the
 * bucket's own quota where it has one, otherwise the account's.
 */
export function quotaNumbers(usage: Usage, bucket: string, lang: Language): string {
  const own = usage.buckets.find((b) => b.name === bucket);
  const when = formatDateTime(usage.measured, lang);
  if (own && own.maxBytes !== null) {
    return m.quota_numbers_bucket({ bucket, used: formatSize(own.bytes, lang), limit: formatSize(own.maxBytes, lang), when });
  }
  if (usage.limits.maxBytes !== null) {
    return m.quota_numbers_account({ used: formatSize(usage.bytes, lang), limit: formatSize(usage.limits.maxBytes, lang), when });
  }
  return m.quota_numbers_used({ used: formatSize(usage.bytes, lang), when });
}
