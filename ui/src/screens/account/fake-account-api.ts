// A fake account engine for browser tests: records every call and answers
// from plain data the test sets, as the engine would.
import type { AccountApi } from '../../lib/api';
import type { AvailabilityReport } from '../../lib/bindings/AvailabilityReport';
import type { OutageView } from '../../lib/bindings/OutageView';
import type { QuotaSettingsRequest } from '../../lib/bindings/QuotaSettingsRequest';
import type { TrialReminder } from '../../lib/bindings/TrialReminder';
import type { TrialRequest } from '../../lib/bindings/TrialRequest';
import type { TrialView } from '../../lib/bindings/TrialView';
import type { Usage } from '../../lib/bindings/Usage';
import type { UsageView } from '../../lib/bindings/UsageView';
import type { YearMonth } from '../../lib/bindings/YearMonth';

type Call = [string, ...unknown[]];

export const NOW = Date.UTC(2026, 11, 2, 9, 0);
/** 14:00 in Almaty. */
export const at = (utcMs: number) => ({ utcMs, offsetS: 5 * 3600 });

export const GB = 1e9;

/** 8.5 GB of a 10 GB quota in two buckets, measured by listing at NOW. */
export function usage(over: Partial<Usage> = {}): Usage {
  return {
    source: 'listing',
    measured: at(NOW),
    bytes: 8.5 * GB,
    objects: 1200,
    bucketCount: 2,
    buckets: [
      { name: 'photos', class: 'standard', bytes: 8 * GB, objects: 1000, maxBytes: null, maxObjects: null },
      { name: 'archive', class: 'cold', bytes: 0.5 * GB, objects: 200, maxBytes: null, maxObjects: null },
    ],
    byClass: [
      { class: 'standard', bytes: 8 * GB, objects: 1000 },
      { class: 'cold', bytes: 0.5 * GB, objects: 200 },
    ],
    limits: { maxBytes: 10 * GB, maxObjects: null, maxBuckets: 100 },
    limitsOrigin: 'customer',
    bytesLevel: 'warning',
    objectsLevel: 'normal',
    bucketsLevel: 'normal',
    ...over,
  };
}

export function outage(over: Partial<OutageView> = {}): OutageView {
  return { id: 3, start: at(NOW - 15 * 60_000), end: null, reported: null, errorKinds: ['refused'], lastChecked: at(NOW), ...over };
}

export function report(over: Partial<AvailabilityReport> = {}): AvailabilityReport {
  return {
    month: { year: 2026, month: 12 },
    zone: 'Asia/Almaty',
    outages: [outage({ end: at(NOW - 5 * 60_000) })],
    downMs: 10 * 60_000,
    availabilityBasisPoints: 9997,
    observedMs: 14 * 3600_000,
    observedBasisPoints: 188,
    tierPercent: 0,
    isEstimate: true,
    paymentTiyn: null,
    creditTiyn: null,
    ...over,
  };
}

export class FakeAccountApi implements AccountApi {
  calls: Call[] = [];
  view: UsageView = { usage: usage(), measuring: null, settings: { limits: { maxBytes: 10 * GB, maxObjects: null, maxBuckets: 100 }, garageAdminEndpoint: null }, hasAdminToken: false };
  trial: TrialView = { state: 'not_said', suggestedStart: at(NOW - 26 * 3600_000), days: 3 };
  reminders: TrialReminder[] = [];
  current: OutageView | null = null;
  availability: AvailabilityReport = report();
  copied: string[] = [];
  notified: [string, string][] = [];
  #outageListeners = new Set<(o: OutageView | null) => void>();

  called(name: string): Call[] {
    return this.calls.filter((c) => c[0] === name);
  }

  /** The methods alone, to spread into a whole fake Api. */
  methods(): AccountApi {
    const proto = FakeAccountApi.prototype as unknown as Record<string, unknown>;
    const names = Object.getOwnPropertyNames(proto).filter(
      (name) => name !== 'constructor' && name !== 'methods' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function',
    );
    const self = this as unknown as Record<string, (...args: unknown[]) => unknown>;
    return Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => self[name](...args)])) as unknown as AccountApi;
  }

  /** The engine's event: an outage began, changed or ended. */
  emitOutage(outage: OutageView | null) {
    this.current = outage;
    for (const listener of this.#outageListeners) listener(outage);
  }

  async usageView() {
    this.calls.push(['usageView']);
    return structuredClone(this.view);
  }
  async usageMeasure() {
    this.calls.push(['usageMeasure']);
    return this.view.usage ?? usage();
  }
  async usageCancel() {
    this.calls.push(['usageCancel']);
  }
  async quotaSettingsSet(request: QuotaSettingsRequest) {
    this.calls.push(['quotaSettingsSet', request]);
    this.view.settings = { limits: request.limits, garageAdminEndpoint: request.garageAdminEndpoint };
    return this.view.settings;
  }
  async trialGet() {
    this.calls.push(['trialGet']);
    return this.trial;
  }
  async trialSet(request: TrialRequest) {
    this.calls.push(['trialSet', request]);
    if (!request.hasTrial) this.trial = { state: 'no_trial' };
    else {
      const start = request.startUtcMs ?? NOW - 26 * 3600_000;
      this.trial = { state: 'running', start: at(start), end: at(start + 72 * 3600_000), endIsEstimate: request.startUtcMs === null, days: 3, daysLeft: 1, hoursLeft: 22, minutesLeft: 0 };
    }
    return this.trial;
  }
  async trialTakeReminder() {
    this.calls.push(['trialTakeReminder']);
    return this.reminders.shift() ?? null;
  }
  async diagnosticsText() {
    this.calls.push(['diagnosticsText']);
    return 'Qoima 0.1.0\nSystem: Debian';
  }
  async availabilityReport(month: YearMonth | null, paymentTiyn: number | null) {
    this.calls.push(['availabilityReport', month, paymentTiyn]);
    const credit = paymentTiyn === null ? null : Math.floor((paymentTiyn * this.availability.tierPercent) / 100);
    return { ...this.availability, month: month ?? this.availability.month, paymentTiyn, creditTiyn: credit };
  }
  async outageCurrent() {
    this.calls.push(['outageCurrent']);
    return this.current;
  }
  async outageReport(id: number) {
    this.calls.push(['outageReport', id]);
    this.current = { ...this.current!, reported: this.current!.reported ?? at(NOW + 60_000) };
    return this.current;
  }
  async outageListen(onOutage: (o: OutageView | null) => void) {
    this.#outageListeners.add(onOutage);
    return () => this.#outageListeners.delete(onOutage);
  }
  async copyText(text: string) {
    this.copied.push(text);
  }
  async notificationPermission() {
    return true;
  }
  async notify(title: string, body: string) {
    this.notified.push([title, body]);
  }
}
