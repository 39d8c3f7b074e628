// The transfer queue as the window sees it: the engine's view, kept fresh by
// its events; starting uploads and downloads (asking about taken names); the
// window title, desktop notifications, and news of finished batches.
import * as m from '../../paraglide/messages.js';
import type { FileDrag, TransferApi } from '../../lib/api';
import { toUiError } from '../../lib/api';
import type { BatchState } from '../../lib/bindings/BatchState';
import type { ConflictAnswers } from '../../lib/bindings/ConflictAnswers';
import type { EnqueueOutcome } from '../../lib/bindings/EnqueueOutcome';
import type { QuotaShortfall } from '../../lib/bindings/QuotaShortfall';
import type { TransferBatch } from '../../lib/bindings/TransferBatch';
import type { TransfersView } from '../../lib/bindings/TransfersView';
import { showToast } from '../../lib/components/toast.svelte';
import { errorMessage, errorNextStep } from '../../lib/errors';
import { formatNumber, formatPercent } from '../../lib/format';
import { i18n } from '../../lib/i18n.svelte';
import { batchLabel, failureText, isActive, placeLabel } from './labels';

export const EMPTY_VIEW: TransfersView = { batches: [], activeBytesTotal: 0, activeBytesDone: 0, activeBatches: 0 };

/** A batch that ran longer than this says so on the desktop when it ends. */
export const NOTIFY_AFTER_MS = 30_000;

/** Names already taken at the destination, waiting for the person's answer. */
export type ConflictQuestion = {
  /** The taken names still to answer (the first of them, up to 50). */
  names: string[];
  /** How many are taken in all, named or not. */
  count: number;
  /** Where they are taken: "photos / docs", or a folder on this computer. */
  place: string;
  /** Null when the person cancelled: nothing is queued. */
  reply: (answers: ConflictAnswers | null) => void;
};

/** A batch that would go over a quota, by the last measurement. */
export type QuotaQuestion = {
  shortfall: QuotaShortfall;
  /** True to send it anyway. */
  reply: (sendAnyway: boolean) => void;
};

export class TransferCenter {
  view = $state<TransfersView>(EMPTY_VIEW);
  /** The transfers panel is shown. */
  open = $state(false);
  question = $state<ConflictQuestion | null>(null);
  quotaQuestion = $state<QuotaQuestion | null>(null);

  #states = new Map<number, BatchState>();
  #notified = new Set<number>();
  #finished = new Set<(batch: TransferBatch) => void>();
  #permission: Promise<boolean> | null = null;
  #title: string;
  #unlisten: (() => void) | null = null;
  #stopped = false;

  constructor(readonly api: TransferApi) {
    this.#title = m.app_name();
  }

  /** Follows the engine's queue until `stop`. */
  async start(): Promise<void> {
    this.#stopped = false;
    let heard = false;
    try {
      const unlisten = await this.api.transfersListen((view) => {
        heard = true;
        this.apply(view);
      });
      if (this.#stopped) {
        unlisten();
        return;
      }
      this.#unlisten = unlisten;
      const first = await this.api.transfersView();
      // An event is newer than the answer to a request sent before it.
      if (!heard && !this.#stopped) this.apply(first);
    } catch {
      // Without the queue's view the rest of the window still works.
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Takes a new view of the queue: title, notifications, finished batches. */
  apply(view: TransfersView): void {
    this.view = view;
    for (const batch of view.batches) {
      const before = this.#states.get(batch.id);
      this.#states.set(batch.id, batch.state);
      if (before !== undefined && isActive(before) && !isActive(batch.state)) this.#ended(batch);
    }
    this.updateTitle();
  }

  /** Called with each batch that ends while the window is open; returns the unsubscribe. */
  onFinished(listener: (batch: TransferBatch) => void): () => void {
    this.#finished.add(listener);
    return () => this.#finished.delete(listener);
  }

  onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void> {
    return this.api.onFileDrag(handler);
  }

  /** Files and folders from this computer into a bucket folder; the batch id, or null. */
  upload(paths: string[], bucket: string, prefix: string): Promise<number | null> {
    if (paths.length === 0) return Promise.resolve(null);
    return this.#enqueue(
      (answers) => this.api.transfersUpload({ paths, bucket, prefix, answers }),
      placeLabel(bucket, prefix),
    );
  }

  /** Objects and folders (keys ending in "/") into a folder on this computer. */
  download(bucket: string, keys: string[], dir: string): Promise<number | null> {
    if (keys.length === 0) return Promise.resolve(null);
    return this.#enqueue((answers) => this.api.transfersDownload({ bucket, keys, dir, answers }), dir);
  }

  /** The system's picker for files or folders, then the upload. */
  async pickAndUpload(what: 'files' | 'folders', bucket: string, prefix: string): Promise<number | null> {
    const paths = await this.#attempt(() =>
      what === 'files' ? this.api.pickFiles(m.picker_upload_files()) : this.api.pickFolders(m.picker_upload_folders()),
    );
    return paths ? this.upload(paths, bucket, prefix) : null;
  }

  /** The system's folder picker, then the download. */
  async pickAndDownload(bucket: string, keys: string[]): Promise<number | null> {
    if (keys.length === 0) return null;
    const dir = await this.#attempt(() => this.api.pickFolder(m.picker_download_to()));
    return dir ? this.download(bucket, keys, dir) : null;
  }

  pause = (id: number) => this.#attempt(() => this.api.transferPause(id));
  resume = (id: number) => this.#attempt(() => this.api.transferResume(id));
  cancel = (id: number) => this.#attempt(() => this.api.transferCancel(id));
  retry = (id: number) => this.#attempt(() => this.api.transferRetry(id));
  clearFinished = () => this.#attempt(() => this.api.transfersClearFinished());

  /** Overall share of the active batches, "42 %". */
  get percent(): string {
    return formatPercent(this.view.activeBytesDone, this.view.activeBytesTotal, i18n.lang);
  }

  async #enqueue(send: (answers: ConflictAnswers) => Promise<EnqueueOutcome>, place: string): Promise<number | null> {
    let answers: ConflictAnswers = { all: null, each: {}, overQuota: false };
    try {
      for (;;) {
        const outcome = await send(answers);
        if (outcome.kind === 'queued') {
          this.open = true;
          return outcome.batchId;
        }
        if (outcome.kind === 'overQuota') {
          // Answered once already: the engine would not ask again.
          if (answers.overQuota) throw { code: 'internal', field: null, detail: 'the quota was reported as short again' };
          if (!(await this.#askQuota(outcome.shortfall))) return null;
          answers = { ...answers, overQuota: true };
          continue;
        }
        const names = outcome.names.filter((name) => !(name in answers.each));
        // Every name it gave was answered: asking again would never end.
        if (names.length === 0) throw { code: 'internal', field: null, detail: 'the same names were reported as taken again' };
        const reply = await this.#ask(names, outcome.count, place);
        if (!reply) return null;
        answers = { all: reply.all, each: { ...answers.each, ...reply.each }, overQuota: answers.overQuota };
      }
    } catch (e) {
      this.#failed(e);
      return null;
    }
  }

  #askQuota(shortfall: QuotaShortfall): Promise<boolean> {
    return new Promise((resolve) => {
      this.quotaQuestion = {
        shortfall,
        reply: (sendAnyway) => {
          this.quotaQuestion = null;
          resolve(sendAnyway);
        },
      };
    });
  }

  #ask(names: string[], count: number, place: string): Promise<ConflictAnswers | null> {
    return new Promise((resolve) => {
      this.question = {
        names,
        count: Math.max(count, names.length),
        place,
        reply: (answers) => {
          this.question = null;
          resolve(answers);
        },
      };
    });
  }

  async #attempt<T>(run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (e) {
      this.#failed(e);
      return null;
    }
  }

  #failed(e: unknown) {
    const error = toUiError(e);
    if (error.code === 'cancelled') return;
    showToast(m.transfer_not_started({ reason: `${errorMessage(error.code)} ${errorNextStep(error.code)}` }), 'error', 8000);
  }

  #ended(batch: TransferBatch) {
    for (const listener of this.#finished) listener(batch);
    if (batch.state !== 'done' && batch.state !== 'failed') return;
    if (this.#notified.has(batch.id) || !batch.finished) return;
    if (batch.finished.utcMs - batch.created.utcMs <= NOTIFY_AFTER_MS) return;
    this.#notified.add(batch.id);
    void this.#notify(batch);
  }

  async #notify(batch: TransferBatch) {
    const what = batchLabel(batch, i18n.lang);
    const [title, body] =
      batch.state === 'done'
        ? [batch.direction === 'upload' ? m.notify_upload_done() : m.notify_download_done(), what]
        : [m.notify_failed(), m.notify_failed_body({ what, reason: failureText(batch) })];
    try {
      // The system is asked once; its answer holds for the session.
      this.#permission ??= this.api.notificationPermission().catch(() => false);
      if (await this.#permission) await this.api.notify(title, body);
    } catch {
      // A notification that cannot be shown is not worth an error.
    }
  }

  /** Sets the window title from the current view (again after a language change). */
  updateTitle() {
    const { activeBatches } = this.view;
    const title =
      activeBatches > 0
        ? m.window_title_active({ count: activeBatches, n: formatNumber(activeBatches, i18n.lang), percent: this.percent })
        : m.app_name();
    if (title === this.#title) return;
    this.#title = title;
    this.api.setWindowTitle(title).catch(() => {});
  }
}
