// The selected entries of the object grid, kept by key: a sorted model drops
// and reloads windows of rows, and the selection must survive that.
import type { ObjectEntry } from '../bindings/ObjectEntry';
import type { GridModel } from './models.svelte';

export class Selection {
  private map: Map<string, ObjectEntry> = $state.raw(new Map());
  /** Where a Shift range starts: the row last clicked or moved to without Shift. */
  anchor = 0;

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  entries(): ObjectEntry[] {
    return [...this.map.values()];
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  clear(): void {
    if (this.map.size) this.map = new Map();
  }

  only(entry: ObjectEntry | undefined, index: number): void {
    this.map = entry ? new Map([[entry.key, entry]]) : new Map();
    this.anchor = index;
  }

  toggle(entry: ObjectEntry | undefined, index: number): void {
    this.anchor = index;
    if (!entry) return;
    const next = new Map(this.map);
    if (next.has(entry.key)) next.delete(entry.key);
    else next.set(entry.key, entry);
    this.map = next;
  }

  /** Anchor to `index`; with `add`, on top of what is selected already. Rows not loaded are skipped. */
  extendTo(model: GridModel, index: number, add = false): void {
    const next = add ? new Map(this.map) : new Map<string, ObjectEntry>();
    const from = Math.min(this.anchor, index);
    const to = Math.max(this.anchor, index);
    for (let i = from; i <= to && i < model.length; i++) {
      const entry = model.row(i);
      if (entry) next.set(entry.key, entry);
    }
    this.map = next;
  }

  /** Every loaded row. */
  all(model: GridModel): void {
    const next = new Map<string, ObjectEntry>();
    for (let i = 0; i < model.length; i++) {
      const entry = model.row(i);
      if (entry) next.set(entry.key, entry);
    }
    this.map = next;
  }
}
