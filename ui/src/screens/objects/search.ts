import type { ObjectEntry } from '../../lib/bindings/ObjectEntry';
import type { SortSpec } from '../../lib/bindings/SortSpec';

/** Search results show their path below the folder searched, so equal names are told apart. */
export function searchModelEntries(entries: ObjectEntry[], prefix: string): ObjectEntry[] {
  return entries.map((e) => {
    const relative = e.key.startsWith(prefix) ? e.key.slice(prefix.length) : e.key;
    return { ...e, name: relative.endsWith('/') ? relative.slice(0, -1) : relative };
  });
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** A small list sorted in place of the engine, with the same meaning of a SortSpec. */
export function sortEntries(entries: ObjectEntry[], sort: SortSpec): ObjectEntry[] {
  const value = (e: ObjectEntry): number => (sort.by === 'size' ? (e.size ?? -1) : (e.modified?.utcMs ?? -1));
  const sign = sort.descending ? -1 : 1;
  return [...entries].sort((a, b) => {
    if (sort.foldersFirst && a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    const byValue = sort.by === 'name' ? 0 : value(a) - value(b);
    return sign * (byValue || collator.compare(a.name, b.name));
  });
}
