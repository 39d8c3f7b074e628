import { describe, expect, it } from 'vitest';
import type { ObjectEntry } from '../bindings/ObjectEntry';
import { StaticModel, type GridModel } from './models.svelte';
import { folderPrefix } from './path';
import { Selection } from './selection.svelte';

const obj = (name: string): ObjectEntry => ({ key: name, name, kind: 'object', size: 1, modified: null, storageClass: null });

describe('folderPrefix', () => {
  it('turns a typed path into a prefix', () => {
    expect(folderPrefix('')).toBe('');
    expect(folderPrefix(' / ')).toBe('');
    expect(folderPrefix('reports')).toBe('reports/');
    expect(folderPrefix(' /reports//2026/ ')).toBe('reports/2026/');
    expect(folderPrefix('Есеп 2026')).toBe('Есеп 2026/');
  });
});

describe('Selection', () => {
  const model = new StaticModel(['a', 'b', 'c', 'd', 'e'].map(obj));

  it('selects one, toggles, and extends from the anchor', () => {
    const s = new Selection();
    s.only(model.row(1), 1);
    expect(s.keys()).toEqual(['b']);
    s.toggle(model.row(3), 3);
    expect(s.keys()).toEqual(['b', 'd']);
    s.extendTo(model, 4);
    expect(s.keys()).toEqual(['d', 'e']);
    s.extendTo(model, 1, true);
    expect(s.keys().sort()).toEqual(['b', 'c', 'd', 'e']);
    s.toggle(model.row(2), 2);
    expect(s.has('c')).toBe(false);
    expect(s.anchor).toBe(2);
  });

  it('selects every loaded row and skips rows not loaded yet', () => {
    const sparse: GridModel = {
      length: 5,
      total: 5,
      busy: false,
      error: null,
      row: (i) => (i % 2 ? undefined : model.row(i)),
      visible() {},
      retry() {},
      dispose() {},
    };
    const s = new Selection();
    s.all(sparse);
    expect(s.keys()).toEqual(['a', 'c', 'e']);
    // What was left out is said: 3 of 5.
    expect(s.covered).toBe('5');
    s.clear();
    expect(s.size).toBe(0);
    expect(s.covered).toBeNull();

    s.only(sparse.row(0), 0);
    s.extendTo(sparse, 2);
    expect(s.keys()).toEqual(['a', 'c']);
    expect(s.covered).toBe('3');
    s.all(model);
    expect(s.covered).toBeNull();
    // A folder still streaming in: more may follow the loaded rows.
    s.all({ ...sparse, total: null, row: (i) => model.row(i) });
    expect(s.size).toBe(5);
    expect(s.covered).toBe('5+');
  });

  it('keeps the selected keys that are still there after a refresh', () => {
    const s = new Selection();
    s.all(model);
    s.retain(new StaticModel(['a', 'c', 'x'].map(obj)));
    expect(s.keys()).toEqual(['a', 'c']);
    // Rows not loaded yet may still hold a selected key: it stays.
    s.retain({ length: 2, total: null, busy: false, error: null, row: (i) => [obj('c'), obj('y')][i], visible() {}, retry() {}, dispose() {} });
    expect(s.keys().sort()).toEqual(['a', 'c']);
  });
});
