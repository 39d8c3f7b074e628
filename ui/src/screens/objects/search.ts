import type { GridEntry } from '../../lib/browser/models.svelte';
import type { ObjectEntry } from '../../lib/bindings/ObjectEntry';
import type { SortSpec } from '../../lib/bindings/SortSpec';

/**
 * Search results show their path below the folder searched, so equal names
 * are told apart; `name` stays the entry's own name, which rename starts from.
 */
export function searchModelEntries(entries: ObjectEntry[], prefix: string): GridEntry[] {
  return entries.map((e) => {
    const relative = e.key.startsWith(prefix) ? e.key.slice(prefix.length) : e.key;
    return { ...e, path: relative.endsWith('/') ? relative.slice(0, -1) : relative };
  });
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** A small list sorted in place of the engine, with the same meaning of a SortSpec. */
export function sortEntries(entries: GridEntry[], sort: SortSpec): GridEntry[] {
  const value = (e: GridEntry): number => (sort.by === 'size' ? (e.size ?? -1) : (e.modified?.utcMs ?? -1));
  const shown = (e: GridEntry) => e.path ?? e.name;
  const sign = sort.descending ? -1 : 1;
  return [...entries].sort((a, b) => {
    if (sort.foldersFirst && a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    const byValue = sort.by === 'name' ? 0 : value(a) - value(b);
    return sign * (byValue || collator.compare(shown(a), shown(b)));
  });
}
