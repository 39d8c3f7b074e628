// The words a sync pair is shown with: pure functions of a pair and the language.
import * as m from '../../paraglide/messages.js';
import type { HeldDeletions } from '../../lib/bindings/HeldDeletions';
import type { Language } from '../../lib/bindings/Language';
import type { PairActivity } from '../../lib/bindings/PairActivity';
import type { PairStatus } from '../../lib/bindings/PairStatus';
import type { ProblemKind } from '../../lib/bindings/ProblemKind';
import type { QuotaShortfall } from '../../lib/bindings/QuotaShortfall';
import type { SyncMode } from '../../lib/bindings/SyncMode';
import type { SyncPair } from '../../lib/bindings/SyncPair';
import type { SyncProblem } from '../../lib/bindings/SyncProblem';
import { errorMessage } from '../../lib/errors';
import { formatNumber, formatSize } from '../../lib/format';
import { formatAgo } from '../../lib/format/ago';
import { placeLabel } from '../transfers/labels';

type Msg = () => string;

export const SYNC_MODES: readonly SyncMode[] = ['backup', 'mirror', 'two_way'];

const count = (value: number, lang: Language) => ({ count: value, n: formatNumber(value, lang) });

export function modeLabel(mode: SyncMode): string {
  switch (mode) {
    case 'backup':
      return m.sync_mode_backup();
    case 'mirror':
      return m.sync_mode_mirror();
    case 'two_way':
      return m.sync_mode_two_way();
  }
}

/** One line on what the mode does; mirror says how long the sync trash keeps files. */
export function modeHelp(mode: SyncMode, trashDays: number, lang: Language): string {
  switch (mode) {
    case 'backup':
      return m.sync_mode_backup_help();
    case 'mirror':
      return m.sync_mode_mirror_help(count(trashDays, lang));
    case 'two_way':
      return m.sync_mode_two_way_help();
  }
}

/** The last part of a folder's path: "Documents" for "/home/aigerim/Documents". */
export function folderName(path: string): string {
  const parts = path.split(/[/\\]+/).filter(Boolean);
  return parts.at(-1) ?? path;
}

/** Where in the storage: "photos / backups / laptop". */
export function remoteLabel(pair: Pick<SyncPair, 'bucket' | 'prefix'>): string {
  return placeLabel(pair.bucket, pair.prefix);
}

/** The pair's state in a few words: "Up to date", "Syncing 12 files", … */
export function stateLabel(status: Pick<PairStatus, 'activity' | 'pending'>, lang: Language): string {
  const WORDS: Record<Exclude<PairActivity, 'syncing'>, Msg> = {
    starting: m.sync_state_starting,
    watching: m.sync_state_watching,
    paused: m.sync_state_paused,
    waiting: m.sync_state_waiting,
    offline: m.sync_state_offline,
    error: m.sync_state_error,
  };
  if (status.activity === 'syncing') {
    return status.pending > 0 ? m.sync_state_syncing_files(count(status.pending, lang)) : m.sync_state_syncing();
  }
  return WORDS[status.activity]();
}

/** A pair the person should look at: deletions held, or it cannot run or reach the storage. */
export function needsAttention(status: PairStatus): boolean {
  return status.held.length > 0 || status.activity === 'waiting' || status.activity === 'error' || status.activity === 'offline';
}

/** "Last synced 5 minutes ago", or "Not synced yet". */
export function lastSyncedLabel(lastSyncedMs: number | null, nowMs: number, lang: Language): string {
  return lastSyncedMs === null ? m.sync_never_synced() : m.sync_last_synced({ when: formatAgo(lastSyncedMs, nowMs, lang) });
}

/** What a pass held back for the quota, with the numbers. */
export function overQuotaQuestion(shortfall: QuotaShortfall, bucket: string, lang: Language): string {
  const amount = (n: number) => (shortfall.kind === 'bytes' ? formatSize(n, lang) : formatNumber(n, lang));
  const numbers = { adding: amount(shortfall.adding), free: amount(Math.max(0, shortfall.limit - shortfall.used)), limit: amount(shortfall.limit) };
  return shortfall.scope === 'bucket' ? m.sync_over_quota_bucket({ ...numbers, bucket }) : m.sync_over_quota_account(numbers);
}

/** The question a hold asks, in plain words. */
export function heldQuestion(held: HeldDeletions, lang: Language): string {
  if (held.why === 'other_side_empty') {
    return held.side === 'remote' ? m.sync_held_folder_empty() : m.sync_held_storage_empty();
  }
  const words = { ...count(held.of, lang), deleted: formatNumber(held.count, lang) };
  return held.side === 'remote' ? m.sync_held_remote(words) : m.sync_held_local(words);
}

/** What "Yes, carry on" will do with the files. */
export function heldConsequence(held: HeldDeletions, trashDays: number, lang: Language): string {
  return held.side === 'remote' ? m.sync_held_then_remote(count(trashDays, lang)) : m.sync_held_then_local();
}

/**
 * The name the storage's version of a file got beside it in a conflict:
 * "report (conflict …).pdf" for "docs/report.pdf". The engine adds the day
 * and time, which the problem does not carry.
 */
export function conflictName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  // A leading dot marks a hidden file, not an extension.
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem} (conflict …)${extension}`;
}

const PROBLEMS: Record<Exclude<ProblemKind, 'conflict'>, Msg> = {
  unreadable: m.sync_problem_unreadable,
  link: m.sync_problem_link,
  same_name_twice: m.sync_problem_same_name_twice,
  case_only: m.sync_problem_case_only,
  not_local: m.sync_problem_not_local,
  not_a_key: m.sync_problem_not_a_key,
  failed: m.sync_problem_failed,
};

/** Why a file is listed under problems, and what became of it. */
export function problemText(problem: SyncProblem): string {
  const text = problem.kind === 'conflict' ? m.sync_problem_conflict({ name: conflictName(problem.path) }) : PROBLEMS[problem.kind]();
  return problem.error && problem.kind === 'failed' ? `${text} ${errorMessage(problem.error.code)}` : text;
}
