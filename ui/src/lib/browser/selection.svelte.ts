// The selected entries of the object grid, kept by key: a sorted model drops
// and reloads windows of rows, and the selection must survive that.
import type { ObjectEntry } from '../bindings/ObjectEntry';
import type { GridModel } from './models.svelte';

export class Selection {
  private map: Map<string, ObjectEntry> = $state.raw(new Map());
  /** Where a Shift range starts: the row last clicked or moved to without Shift. */
  anchor = 0;
  /**
   * Rows the last Ctrl+A or Shift range covered, when some of them were not
   * loaded and so are not selected (null when nothing was left out). The
   * total is a text: "40+" while the folder's length is still unknown.
   */
  covered: string | null = $state(null);

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
    this.covered = null;
  }

  only(entry: ObjectEntry | undefined, index: number): void {
    this.map = entry ? new Map([[entry.key, entry]]) : new Map();
    this.anchor = index;
    this.covered = null;
  }

  toggle(entry: ObjectEntry | undefined, index: number): void {
    this.anchor = index;
    this.covered = null;
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
    let missing = 0;
    for (let i = from; i <= to && i < model.length; i++) {
      const entry = model.row(i);
      if (entry) next.set(entry.key, entry);
      else missing++;
    }
    this.map = next;
    this.covered = missing ? String(Math.min(to, model.length - 1) - from + 1) : null;
  }

  /** Every loaded row; `covered` tells when the folder has more than that. */
  all(model: GridModel): void {
    const next = new Map<string, ObjectEntry>();
    let missing = 0;
    for (let i = 0; i < model.length; i++) {
      const entry = model.row(i);
      if (entry) next.set(entry.key, entry);
      else missing++;
    }
    this.map = next;
    if (model.total === null && model.length > 0) this.covered = `${model.length}+`;
    else this.covered = missing ? String(model.length) : null;
  }

  /**
   * After the listing was read again: keeps the selected keys that are still
   * there. A key not among the loaded rows is kept only while the model may
   * still hold it further on.
   */
  retain(model: GridModel): void {
    if (this.map.size === 0) return;
    const next = new Map<string, ObjectEntry>();
    let complete = model.total !== null;
    for (let i = 0; i < model.length; i++) {
      const entry = model.row(i);
      if (!entry) complete = false;
      else if (this.map.has(entry.key)) next.set(entry.key, entry);
    }
    if (!complete) for (const [key, entry] of this.map) if (!next.has(key)) next.set(key, entry);
    this.map = next;
    this.covered = null;
  }
}
