// Row models behind the object grid. The grid asks for rows by index and tells
// the model which rows are visible; the model fetches what is missing.
//
// - StreamModel: the default name order, page by page through `objects_page`;
//   the total is unknown until the last page has arrived.
// - SortedModel: the engine loaded and sorted the whole prefix (`listing_load`);
//   the total is known and rows are read in windows (`listing_window`).
import type { ListingSource, PageSource } from '../api';
import { toUiError } from '../api';
import type { ObjectEntry } from '../bindings/ObjectEntry';
import type { SortSpec } from '../bindings/SortSpec';
import type { UiError } from '../bindings/UiError';

/** A row of the grid: an entry, shown by `path` where it has one (search results). */
export type GridEntry = ObjectEntry & { path?: string };

export interface GridModel {
  /** Rows the grid can scroll through now (loaded rows, or the known total). */
  readonly length: number;
  /** The number of entries in the folder, null while unknown. */
  readonly total: number | null;
  /** True while a fetch for more rows is running. */
  readonly busy: boolean;
  /** The last fetch error, shown inline with a retry. */
  readonly error: UiError | null;
  /** The entry at `index`, or undefined while it is not loaded yet. */
  row(index: number): ObjectEntry | undefined;
  /** The rows from `start` to `end` (exclusive) are on screen. */
  visible(start: number, end: number): void;
  /** Tries the failed fetch again. */
  retry(): void;
  /** Releases what the model holds in the engine. */
  dispose(): void;
}

/** Fetch the next page when fewer than this many loaded rows lie below the view. */
export const PREFETCH_ROWS = 300;

export class StreamModel implements GridModel {
  entries: ObjectEntry[] = $state.raw([]);
  nextToken: string | null = null;
  done = $state(false);
  busy = $state(false);
  error: UiError | null = $state(null);
  /** Set once the first page has answered (so "empty" can be told from "loading"). */
  started = $state(false);
  private lastEnd = 0;
  private disposed = false;

  constructor(
    private source: PageSource,
    private bucket: string,
    private prefix: string,
  ) {
    void this.fetchNext();
  }

  get length(): number {
    return this.entries.length;
  }

  get total(): number | null {
    return this.done ? this.entries.length : null;
  }

  row(index: number): ObjectEntry | undefined {
    return this.entries[index];
  }

  visible(_start: number, end: number): void {
    this.lastEnd = end;
    this.maybeFetch();
  }

  retry(): void {
    this.error = null;
    void this.fetchNext();
  }

  dispose(): void {
    this.disposed = true;
  }

  private maybeFetch(): void {
    if (this.done || this.busy || this.error || this.disposed) return;
    if (this.lastEnd + PREFETCH_ROWS >= this.entries.length) void this.fetchNext();
  }

  private async fetchNext(): Promise<void> {
    if (this.done || this.busy || this.disposed) return;
    this.busy = true;
    const token = this.started ? this.nextToken : null;
    try {
      const page = await this.source.objectsPage(this.bucket, this.prefix, token);
      if (this.disposed) return;
      this.entries = page.entries.length ? this.entries.concat(page.entries) : this.entries;
      this.nextToken = page.nextToken;
      this.done = page.nextToken === null;
      this.started = true;
    } catch (e) {
      if (!this.disposed) this.error = toUiError(e);
    } finally {
      this.busy = false;
    }
    // The view may already be past what arrived (fast scrolling, End key).
    this.maybeFetch();
  }
}

/** Rows are read from the engine in windows of this size. */
export const WINDOW_ROWS = 200;
/** At most this many windows are kept in memory. */
const MAX_WINDOWS = 40;

export class SortedModel implements GridModel {
  readonly total: number;
  busy = $state(false);
  error: UiError | null = $state(null);
  private windows = new Map<number, ObjectEntry[]>();
  private inFlight = new Set<number>();
  private version = $state(0);
  private lastRange: [number, number] = [0, 0];
  private disposed = false;

  constructor(
    private source: ListingSource,
    readonly id: number,
    total: number,
  ) {
    this.total = total;
  }

  get length(): number {
    return this.total;
  }

  row(index: number): ObjectEntry | undefined {
    void this.version;
    const w = this.windows.get(Math.floor(index / WINDOW_ROWS));
    return w?.[index % WINDOW_ROWS];
  }

  visible(start: number, end: number): void {
    this.lastRange = [start, end];
    if (this.error || this.disposed) return;
    const first = Math.floor(Math.max(0, start - 20) / WINDOW_ROWS);
    const last = Math.floor(Math.max(0, Math.min(this.total, end + 20) - 1) / WINDOW_ROWS);
    for (let w = first; w <= last; w++) {
      if (!this.windows.has(w) && !this.inFlight.has(w)) void this.fetchWindow(w);
    }
  }

  retry(): void {
    this.error = null;
    this.visible(...this.lastRange);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.source.listingClose(this.id).catch(() => {});
  }

  private async fetchWindow(w: number): Promise<void> {
    this.inFlight.add(w);
    this.busy = true;
    try {
      const rows = await this.source.listingWindow(this.id, w * WINDOW_ROWS, WINDOW_ROWS);
      if (this.disposed) return;
      this.windows.set(w, rows);
      this.evict(w);
      this.version++;
    } catch (e) {
      if (!this.disposed) this.error = toUiError(e);
    } finally {
      this.inFlight.delete(w);
      this.busy = this.inFlight.size > 0;
    }
  }

  private evict(keep: number): void {
    if (this.windows.size <= MAX_WINDOWS) return;
    const far = [...this.windows.keys()].sort((a, b) => Math.abs(b - keep) - Math.abs(a - keep));
    for (const w of far.slice(0, this.windows.size - MAX_WINDOWS)) this.windows.delete(w);
  }
}

/** A whole-prefix load in the engine, with progress and cancel. */
export class ListingLoad {
  loaded = $state(0);
  id: number | null = null;
  private cancelled = false;

  constructor(private source: ListingSource) {}

  /** Resolves with the sorted model, or null when cancelled. */
  async run(bucket: string, prefix: string, sort: SortSpec): Promise<SortedModel | null> {
    try {
      const summary = await this.source.listingLoad(bucket, prefix, sort, (p) => {
        if (this.id === null) {
          this.id = p.id;
          // Cancel was pressed before the engine had said which load this is.
          if (this.cancelled) this.source.listingCancel(p.id).catch(() => {});
        }
        if (p.id === this.id) this.loaded = p.loaded;
      });
      if (this.cancelled) {
        this.source.listingClose(summary.id).catch(() => {});
        return null;
      }
      return new SortedModel(this.source, summary.id, summary.total);
    } catch (e) {
      const err = toUiError(e);
      if (this.cancelled || err.code === 'cancelled') return null;
      throw err;
    }
  }

  cancel(): void {
    this.cancelled = true;
    if (this.id !== null) this.source.listingCancel(this.id).catch(() => {});
  }
}

export function isDefaultSort(sort: SortSpec): boolean {
  return sort.by === 'name' && !sort.descending && !sort.foldersFirst;
}

/** Rows already in hand, such as search results. */
export class StaticModel implements GridModel {
  readonly busy = false;
  readonly error: UiError | null = null;

  constructor(private entries: GridEntry[]) {}

  get length(): number {
    return this.entries.length;
  }

  get total(): number {
    return this.entries.length;
  }

  row(index: number): GridEntry | undefined {
    return this.entries[index];
  }

  visible(): void {}
  retry(): void {}
  dispose(): void {}
}
