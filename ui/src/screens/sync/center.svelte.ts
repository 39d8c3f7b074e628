// The sync pairs as the window sees them: the engine's view, kept fresh by
// its events; adding, changing, pausing and removing pairs; the sync trash;
// and a clock for "last synced 5 minutes ago".
import * as m from '../../paraglide/messages.js';
import type { SyncApi, TransferApi } from '../../lib/api';
import { toUiError } from '../../lib/api';
import type { BucketEntry } from '../../lib/bindings/BucketEntry';
import type { NewSyncPair } from '../../lib/bindings/NewSyncPair';
import type { SyncPairEdit } from '../../lib/bindings/SyncPairEdit';
import type { SyncPairView } from '../../lib/bindings/SyncPairView';
import type { TrashedObject } from '../../lib/bindings/TrashedObject';
import { showToast } from '../../lib/components/toast.svelte';
import { errorMessage, errorNextStep } from '../../lib/errors';
import { needsAttention } from './labels';

/** What the Sync screen needs besides the pairs: the buckets to pick from and the folder picker. */
export type SyncCenterApi = SyncApi & Pick<TransferApi, 'pickFolder'> & { bucketsList(): Promise<BucketEntry[]> };

/** How often "5 minutes ago" is brought up to date. */
export const CLOCK_TICK_MS = 30_000;

export class SyncCenter {
  pairs = $state<SyncPairView[]>([]);
  /** The first view arrived. */
  loaded = $state(false);
  /** The instant relative times are counted from. */
  now = $state(Date.now());

  #unlisten: (() => void) | null = null;
  #clock: ReturnType<typeof setInterval> | null = null;
  #stopped = false;
  /** Bumped by each event: an answer to a request sent before it is older. */
  #events = 0;

  constructor(readonly api: SyncCenterApi) {}

  /** Follows the engine's pairs until `stop`. */
  async start(): Promise<void> {
    this.#stopped = false;
    this.#clock ??= setInterval(() => (this.now = Date.now()), CLOCK_TICK_MS);
    try {
      const unlisten = await this.api.syncListen((pairs) => {
        this.#events++;
        this.apply(pairs);
      });
      if (this.#stopped) {
        unlisten();
        return;
      }
      this.#unlisten = unlisten;
      await this.refresh();
    } catch {
      // Without the pairs the rest of the window still works.
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
    if (this.#clock !== null) clearInterval(this.#clock);
    this.#clock = null;
  }

  apply(pairs: SyncPairView[]): void {
    this.pairs = pairs;
    this.loaded = true;
    this.now = Date.now();
  }

  /** Asks for the pairs; an event that arrived meanwhile wins. */
  async refresh(): Promise<void> {
    const seen = this.#events;
    const pairs = await this.api.syncPairs();
    if (seen === this.#events && !this.#stopped) this.apply(pairs);
  }

  pair(id: number): SyncPairView | undefined {
    return this.pairs.find((p) => p.pair.id === id);
  }

  /** Pairs that are moving files now. */
  get syncing(): number {
    return this.pairs.filter((p) => p.status.activity === 'syncing').length;
  }

  /** Files the running passes still have to move. */
  get pending(): number {
    return this.pairs.reduce((n, p) => n + (p.status.activity === 'syncing' ? p.status.pending : 0), 0);
  }

  /** Pairs waiting for the person, stopped, or unable to reach the storage. */
  get attention(): number {
    return this.pairs.filter((p) => needsAttention(p.status)).length;
  }

  /** A pair with the same folder and place exists already. */
  isTaken(pair: NewSyncPair): boolean {
    const prefix = folderPrefix(pair.prefix);
    return this.pairs.some(
      (p) => p.pair.localDir === pair.localDir && p.pair.bucket === pair.bucket && p.pair.prefix === prefix,
    );
  }

  /** Throws the engine's UiError, for the dialog to show. */
  async add(pair: NewSyncPair): Promise<number> {
    const id = await this.api.syncAdd({ ...pair, prefix: folderPrefix(pair.prefix) });
    await this.#refreshQuietly();
    return id;
  }

  /** Throws the engine's UiError (a bad ignore rule names its field), for the dialog to show. */
  async edit(id: number, edit: SyncPairEdit): Promise<void> {
    await this.api.syncEdit(id, edit);
    await this.#refreshQuietly();
  }

  /** Throws the engine's UiError, for the dialog to show. */
  async remove(id: number): Promise<void> {
    await this.api.syncRemove(id);
    await this.#refreshQuietly();
  }

  pause = (id: number) => this.#attempt(() => this.api.syncSetPaused(id, true));
  resume = (id: number) => this.#attempt(() => this.api.syncSetPaused(id, false));
  syncNow = (id: number) => this.#attempt(() => this.api.syncNow(id));
  approve = (id: number) => this.#attempt(() => this.api.syncApproveDeletions(id));
  approveOverQuota = (id: number) => this.#attempt(() => this.api.syncApproveOverQuota(id));

  trash = (id: number): Promise<TrashedObject[]> => this.api.syncTrash(id);
  restore = (id: number, trashKey: string): Promise<void> => this.api.syncRestore(id, trashKey);

  /** The system's folder picker, titled for this; null when the person closed it. */
  pickFolder = (): Promise<string | null> => this.api.pickFolder(m.picker_sync_folder());

  async #refreshQuietly() {
    try {
      await this.refresh();
    } catch {
      // The next event brings the pairs.
    }
  }

  async #attempt(run: () => Promise<void>): Promise<boolean> {
    try {
      await run();
      await this.#refreshQuietly();
      return true;
    } catch (e) {
      const error = toUiError(e);
      showToast(m.sync_action_failed({ reason: `${errorMessage(error.code)} ${errorNextStep(error.code)}` }), 'error', 8000);
      return false;
    }
  }
}

/** `""` or a folder ending in "/", as the engine keeps it: " /backups/laptop/ " is "backups/laptop/". */
export function folderPrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}
