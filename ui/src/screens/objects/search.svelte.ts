import type { ObjectApi } from '../../lib/api';
import { newOpId, toUiError } from '../../lib/api';
import type { SearchResult } from '../../lib/bindings/SearchResult';
import type { SortSpec } from '../../lib/bindings/SortSpec';
import type { UiError } from '../../lib/bindings/UiError';
import { StaticModel } from '../../lib/browser/models.svelte';
import type { Selection } from '../../lib/browser/selection.svelte';
import { searchModelEntries, sortEntries } from './search';

const SEARCH_DELAY_MS = 300;

/** Where a search looks and how its results are shown; read when it runs. */
export type SearchPlace = {
  source: () => Pick<ObjectApi, 'objectsSearch' | 'operationCancel'>;
  bucket: () => string;
  prefix: () => string;
  sort: () => SortSpec;
  selection: Selection;
};

/**
 * Search by name inside the folder on screen: typed words wait a moment,
 * a new search cancels the one still running, and a late answer never
 * replaces a newer one.
 */
export class FolderSearch {
  query = $state('');
  found = $state<{ query: string; result: SearchResult } | null>(null);
  model = $state<StaticModel | null>(null);
  searching = $state(false);
  error = $state<UiError | null>(null);
  #op: number | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private place: SearchPlace) {}

  cancel() {
    clearTimeout(this.#timer);
    if (this.#op !== null) this.place.source().operationCancel(this.#op).catch(() => {});
    this.#op = null;
  }

  /** Back to the folder view. */
  end() {
    this.cancel();
    this.searching = false;
    this.error = null;
    if (this.found) {
      this.found = null;
      this.model = null;
      this.place.selection.clear();
    }
  }

  /** The query was edited: search after a pause, or end on an empty one. */
  input() {
    this.cancel();
    const q = this.query.trim();
    if (!q) {
      this.end();
      return;
    }
    this.searching = true;
    this.#timer = setTimeout(() => void this.run(q), SEARCH_DELAY_MS);
  }

  /** With `keep`, the same search again: what is still found stays selected. */
  async run(q: string, keep = false) {
    this.cancel();
    const op = newOpId();
    this.#op = op;
    this.searching = true;
    this.error = null;
    try {
      const result = await this.place.source().objectsSearch(this.place.bucket(), this.place.prefix(), q, op);
      if (this.#op !== op) return;
      this.found = { query: q, result };
      this.show(result, keep);
    } catch (e) {
      const err = toUiError(e);
      if (this.#op === op && err.code !== 'cancelled') this.error = err;
    } finally {
      if (this.#op === op) {
        this.#op = null;
        this.searching = false;
      }
    }
  }

  /** The results in the current order (after a sort, `keep` holds the selection). */
  show(result: SearchResult, keep = false) {
    const prefix = this.place.prefix();
    this.model = new StaticModel(sortEntries(searchModelEntries(result.entries, prefix), this.place.sort()));
    if (keep) this.place.selection.retain(this.model);
    else this.place.selection.clear();
  }

  /** After a change in the storage; a search being typed or running is left alone. */
  refresh() {
    if (this.found && !this.searching) void this.run(this.found.query, true);
  }

  /** Resorted results, when the person changes the order. */
  resort() {
    if (this.found) this.show(this.found.result, true);
  }
}
