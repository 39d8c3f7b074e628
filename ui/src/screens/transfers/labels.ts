// The words a transfer is shown with: pure functions of a batch and the language.
import * as m from '../../paraglide/messages.js';
import type { BatchState } from '../../lib/bindings/BatchState';
import type { Language } from '../../lib/bindings/Language';
import type { TransferBatch } from '../../lib/bindings/TransferBatch';
import type { UiError } from '../../lib/bindings/UiError';
import { breadcrumbs } from '../../lib/browser/path';
import { errorMessage } from '../../lib/errors';
import { formatNumber, formatSize } from '../../lib/format';

const ACTIVE: readonly BatchState[] = ['queued', 'running', 'paused'];

/** Still to finish: waiting, running or paused. */
export function isActive(state: BatchState): boolean {
  return ACTIVE.includes(state);
}

/** "photos / 2026 / trips", as the browser's own location reads. */
export function placeLabel(bucket: string, prefix: string): string {
  return [bucket, ...breadcrumbs(prefix).map((c) => c.name)].join(' / ');
}

/** "report.pdf", or "report.pdf and 3 more" for several picked items. */
export function batchLabel(batch: Pick<TransferBatch, 'title' | 'items'>, lang: Language): string {
  const more = batch.items - 1;
  return more > 0 ? m.transfer_title_more({ title: batch.title, count: more, n: formatNumber(more, lang) }) : batch.title;
}

/** Where a batch goes (uploads) or comes from and goes to (downloads). */
export function routeLabel(batch: TransferBatch): string {
  const place = placeLabel(batch.bucket, batch.prefix);
  return batch.direction === 'upload'
    ? m.transfer_upload_place({ place })
    : m.transfer_download_place({ place, folder: batch.localDir });
}

export function stateLabel(state: BatchState): string {
  switch (state) {
    case 'queued':
      return m.transfer_state_queued();
    case 'running':
      return m.transfer_state_running();
    case 'paused':
      return m.transfer_state_paused();
    case 'done':
      return m.transfer_state_done();
    case 'failed':
      return m.transfer_state_failed();
    case 'cancelled':
      return m.transfer_state_cancelled();
  }
}

/** "About 3 min left", rounded up to whole minutes. */
export function timeLeftLabel(seconds: number, lang: Language): string {
  if (seconds < 60) return m.transfer_left_soon();
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return m.transfer_left_minutes({ minutes: formatNumber(minutes, lang) });
  return m.transfer_left_hours({ hours: formatNumber(Math.floor(minutes / 60), lang), minutes: formatNumber(minutes % 60, lang) });
}

export function speedLabel(bytesPerSecond: number, lang: Language): string {
  return m.transfer_speed({ size: formatSize(bytesPerSecond, lang) });
}

/** How much is through: "12 MB of 40 MB", or just "40 MB" once all of it is. */
export function sizeLabel(batch: TransferBatch, lang: Language): string {
  if (batch.state === 'done' || batch.bytesDone >= batch.bytesTotal) return formatSize(batch.bytesTotal, lang);
  return m.transfer_size_progress({ done: formatSize(batch.bytesDone, lang), total: formatSize(batch.bytesTotal, lang) });
}

/** The reason a batch did not finish, in plain words. */
export function failureReason(batch: TransferBatch): UiError | null {
  return batch.stoppedBy ?? batch.failures[0]?.error ?? null;
}

export function failureText(batch: TransferBatch): string {
  const reason = failureReason(batch);
  return reason ? errorMessage(reason.code) : m.transfer_state_failed();
}
