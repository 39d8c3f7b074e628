// The account as the window sees it: the last usage measurement (measured
// again in the background when it is old), the trial and its countdown, and
// the trial's reminders as desktop notifications, each once.
import * as m from '../../paraglide/messages.js';
import type { AccountApi } from '../../lib/api';
import { toUiError } from '../../lib/api';
import type { OutageView } from '../../lib/bindings/OutageView';
import type { TrialReminder } from '../../lib/bindings/TrialReminder';
import type { TrialView } from '../../lib/bindings/TrialView';
import type { UiError } from '../../lib/bindings/UiError';
import type { UsageView } from '../../lib/bindings/UsageView';
import { wallTime } from './outage';

/** A measurement older than this is taken again when the app starts. */
export const STALE_AFTER_MS = 60 * 60 * 1000;
/** The countdown moves by minutes; this keeps it within one. */
export const TRIAL_EVERY_MS = 30_000;
const PROGRESS_EVERY_MS = 500;

export function reminderText(reminder: TrialReminder): string {
  switch (reminder) {
    case 'day_left':
      return m.trial_reminder_day();
    case 'three_hours_left':
      return m.trial_reminder_three_hours();
    case 'hour_left':
      return m.trial_reminder_hour();
  }
}

export class AccountCenter {
  usage = $state<UsageView | null>(null);
  trial = $state<TrialView | null>(null);
  measuring = $state(false);
  /** Why the last measurement or change failed, for the usage panel. */
  error = $state<UiError | null>(null);
  /** The storage's outage under way: the window asks to report it at once. */
  outage = $state<OutageView | null>(null);

  #trialTimer: ReturnType<typeof setInterval> | null = null;
  #unlistenOutage: (() => void) | null = null;
  #notifiedOutage: number | null = null;
  #stopped = false;

  constructor(
    readonly api: AccountApi,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads what is known, measures again if it is old, and keeps the trial current until `stop`. */
  async start(): Promise<void> {
    this.#stopped = false;
    try {
      const unlisten = await this.api.outageListen((outage) => this.#outageSeen(outage));
      if (this.#stopped) unlisten();
      else this.#unlistenOutage = unlisten;
      this.#outageSeen(await this.api.outageCurrent());
    } catch {
      // Not connected yet: the events bring the outage when there is one.
    }
    await this.refresh();
    const measured = this.usage?.usage?.measured.utcMs;
    if (this.usage && (measured === undefined || this.now() - measured > STALE_AFTER_MS)) void this.measure();
    void this.#checkTrial();
    this.#trialTimer = setInterval(() => void this.#checkTrial(), TRIAL_EVERY_MS);
  }

  stop() {
    this.#stopped = true;
    this.#unlistenOutage?.();
    this.#unlistenOutage = null;
    if (this.#trialTimer) clearInterval(this.#trialTimer);
    this.#trialTimer = null;
  }

  async refresh(): Promise<void> {
    try {
      const [usage, trial] = await Promise.all([this.api.usageView(), this.api.trialGet()]);
      if (this.#stopped) return;
      this.usage = usage;
      this.trial = trial;
    } catch (e) {
      // Not connected yet, or the storage went: the panels say so when opened.
      if (toUiError(e).code !== 'not_connected') this.error = toUiError(e);
    }
  }

  /** Measures now, following its progress, and keeps the result. */
  async measure(): Promise<void> {
    if (this.measuring) return;
    this.measuring = true;
    this.error = null;
    const follow = setInterval(() => {
      this.api.usageView().then((view) => (this.usage = view)).catch(() => {});
    }, PROGRESS_EVERY_MS);
    try {
      await this.api.usageMeasure();
    } catch (e) {
      const error = toUiError(e);
      if (error.code !== 'cancelled') this.error = error;
    } finally {
      clearInterval(follow);
      this.measuring = false;
      await this.refresh();
    }
  }

  cancel = () => void this.api.usageCancel().catch(() => {});

  /** A new outage is told at once, on the desktop too, and only once. */
  #outageSeen(outage: OutageView | null) {
    this.outage = outage;
    if (!outage || this.#notifiedOutage === outage.id || outage.reported) return;
    this.#notifiedOutage = outage.id;
    void (async () => {
      if (await this.api.notificationPermission().catch(() => false)) {
        await this.api.notify(m.outage_notice_title(), m.outage_notice_body({ since: wallTime(outage.start) })).catch(() => {});
      }
    })();
  }

  /** "I reported it": the time is recorded by the engine, the first press kept. */
  async reportOutage(): Promise<void> {
    if (!this.outage) return;
    this.outage = await this.api.outageReport(this.outage.id);
  }

  async #checkTrial(): Promise<void> {
    try {
      // Only a running trial changes by itself; asking about one not yet
      // said would look at the storage every time.
      if (this.trial?.state === 'running') this.trial = await this.api.trialGet();
      const due = await this.api.trialTakeReminder();
      if (due && (await this.api.notificationPermission())) await this.api.notify(m.trial_reminder_title(), reminderText(due));
    } catch {
      // A countdown that cannot be read this time is read again next time.
    }
  }

  async setTrial(hasTrial: boolean, startUtcMs: number | null): Promise<void> {
    this.trial = await this.api.trialSet({ hasTrial, startUtcMs });
  }
}
