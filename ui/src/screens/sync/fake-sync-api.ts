// A fake sync engine for browser tests: records every call, answers from
// plain data, and lets the test send pair views as the engine would.
import type { SyncApi } from '../../lib/api';
import type { BucketEntry } from '../../lib/bindings/BucketEntry';
import type { NewSyncPair } from '../../lib/bindings/NewSyncPair';
import type { PairStatus } from '../../lib/bindings/PairStatus';
import type { SyncPair } from '../../lib/bindings/SyncPair';
import type { SyncPairEdit } from '../../lib/bindings/SyncPairEdit';
import type { SyncPairView } from '../../lib/bindings/SyncPairView';
import type { TrashedObject } from '../../lib/bindings/TrashedObject';
import type { UiError } from '../../lib/bindings/UiError';
import type { SyncCenterApi } from './center.svelte';

type Call = [string, ...unknown[]];

export const NOW = Date.UTC(2026, 10, 25, 9, 0);

/** A backup pair of ~/Documents into photos/laptop, up to date, synced 5 minutes before NOW. */
export function pairView(over: Partial<SyncPair> = {}, status: Partial<PairStatus> = {}): SyncPairView {
  return {
    pair: {
      id: 1,
      localDir: '/home/aigerim/Documents',
      bucket: 'photos',
      prefix: 'laptop/',
      mode: 'backup',
      ignore: '',
      paused: false,
      maxDeleteShare: 0.5,
      maxDeleteCount: 1000,
      trashDays: 30,
      lastSyncedMs: NOW - 5 * 60_000,
      ...over,
    },
    status: { activity: 'watching', pending: 0, held: [], overQuota: null, error: null, polling: false, problems: [], ...status },
  };
}

export class FakeSyncApi implements SyncCenterApi {
  calls: Call[] = [];
  pairs: SyncPairView[] = [];
  buckets: BucketEntry[] = [
    { name: 'photos', created: null },
    { name: 'work-docs', created: null },
  ];
  trashed: TrashedObject[] = [];
  picked: string | null = '/home/aigerim/Projects';
  /** The next call of that name fails with this error. */
  failures: Record<string, UiError> = {};
  nextId = 7;
  #listeners = new Set<(pairs: SyncPairView[]) => void>();

  called(name: string): Call[] {
    return this.calls.filter((c) => c[0] === name);
  }

  /** The engine's event: a new view of the pairs. */
  emit(pairs: SyncPairView[]) {
    this.pairs = pairs;
    for (const listener of this.#listeners) listener(structuredClone(pairs));
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  /** Its SyncApi methods bound to it, to spread into a fuller fake Api (which has its own buckets and pickers). */
  methods(): SyncApi {
    const proto = FakeSyncApi.prototype as unknown as Record<string, unknown>;
    const names = Object.getOwnPropertyNames(proto).filter(
      (name) => name.startsWith('sync') && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function',
    );
    const self = this as unknown as Record<string, (...args: unknown[]) => unknown>;
    return Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => self[name](...args)])) as unknown as SyncApi;
  }

  #record(name: string, ...args: unknown[]) {
    this.calls.push([name, ...args.map((a) => structuredClone(a))]);
    const failure = this.failures[name];
    if (failure) {
      delete this.failures[name];
      throw failure;
    }
  }

  #change(id: number, change: (view: SyncPairView) => SyncPairView) {
    this.pairs = this.pairs.map((p) => (p.pair.id === id ? change(p) : p));
  }

  async syncPairs() {
    this.calls.push(['syncPairs']);
    return structuredClone(this.pairs);
  }
  async syncListen(onPairs: (pairs: SyncPairView[]) => void) {
    this.#listeners.add(onPairs);
    return () => void this.#listeners.delete(onPairs);
  }
  async syncAdd(pair: NewSyncPair) {
    this.#record('syncAdd', pair);
    const id = this.nextId++;
    this.pairs = [...this.pairs, pairView({ ...pair, id, lastSyncedMs: null }, { activity: 'starting' })];
    return id;
  }
  async syncEdit(id: number, edit: SyncPairEdit) {
    this.#record('syncEdit', id, edit);
    this.#change(id, (p) => ({ ...p, pair: { ...p.pair, ...edit } }));
  }
  async syncSetPaused(id: number, paused: boolean) {
    this.#record('syncSetPaused', id, paused);
    this.#change(id, (p) => ({
      pair: { ...p.pair, paused },
      status: { ...p.status, activity: paused ? 'paused' : 'syncing' },
    }));
  }
  async syncNow(id: number) {
    this.#record('syncNow', id);
  }
  async syncApproveDeletions(id: number) {
    this.#record('syncApproveDeletions', id);
  }
  async syncApproveOverQuota(id: number) {
    this.#record('syncApproveOverQuota', id);
  }
  async syncRemove(id: number) {
    this.#record('syncRemove', id);
    this.pairs = this.pairs.filter((p) => p.pair.id !== id);
  }
  async syncTrash(id: number) {
    this.#record('syncTrash', id);
    return structuredClone(this.trashed);
  }
  async syncRestore(id: number, trashKey: string) {
    this.#record('syncRestore', id, trashKey);
    this.trashed = this.trashed.filter((t) => t.trashKey !== trashKey);
  }
  async pickFolder(title: string) {
    this.#record('pickFolder', title);
    return this.picked;
  }
  async bucketsList() {
    this.#record('bucketsList');
    return structuredClone(this.buckets);
  }
}
