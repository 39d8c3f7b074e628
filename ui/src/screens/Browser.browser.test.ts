// Runs in real Chromium (vitest browser mode): the virtual grid needs layout.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../lib/design/tokens.css';
import type { ListingSource, PageSource } from '../lib/api';
import type { ListingProgress } from '../lib/bindings/ListingProgress';
import type { ObjectEntry } from '../lib/bindings/ObjectEntry';
import type { SortSpec } from '../lib/bindings/SortSpec';
import Browser from './Browser.svelte';
import { FakeObjectApi } from './objects/fake-object-api';
import { until } from '../test/until';

const TOTAL = 100_000;
const FOLDERS = 500;
const PAGE = 1000;
const LAST_TOKEN = String(TOTAL / PAGE - 1);

function entry(i: number, prefix = ''): ObjectEntry {
  const n = String(i).padStart(6, '0');
  return i < FOLDERS
    ? { key: `${prefix}folder-${n}/`, name: `folder-${n}`, kind: 'folder', size: null, modified: null, storageClass: null }
    : {
        key: `${prefix}file-${n}.txt`,
        name: `file-${n}.txt`,
        kind: 'object',
        size: i * 10,
        modified: { utcMs: Date.UTC(2026, 0, 1) + i * 1000, offsetS: 18000 },
        storageClass: 'STANDARD',
      };
}

/** A fake engine: 100,000 entries, 1,000 a page, tokens "1".."99". */
class FakeSource extends FakeObjectApi implements PageSource, ListingSource {
  pageCalls: (string | null)[] = [];
  windowCalls: [number, number, number][] = [];
  loadCalls: SortSpec[] = [];
  cancelled: number[] = [];
  closed: number[] = [];
  hangLoad = false;
  private rejectLoad: ((e: unknown) => void) | null = null;

  async objectsPage(_bucket: string, prefix: string, token: string | null) {
    this.pageCalls.push(token);
    await new Promise((r) => setTimeout(r, 1));
    const page = token === null ? 0 : Number(token);
    const entries = Array.from({ length: PAGE }, (_, k) => entry(page * PAGE + k, prefix));
    const next = page + 1 < TOTAL / PAGE ? String(page + 1) : null;
    return { entries, nextToken: next };
  }

  /** When set, the engine's first progress event waits for this promise. */
  firstProgressAfter: Promise<void> | null = null;

  async listingLoad(_b: string, _p: string, sort: SortSpec, onProgress: (p: ListingProgress) => void) {
    this.loadCalls.push(sort);
    const id = 7;
    if (this.firstProgressAfter) await this.firstProgressAfter;
    onProgress({ id, loaded: 0 });
    await new Promise((r) => setTimeout(r, 5));
    onProgress({ id, loaded: 12345 });
    if (this.hangLoad) {
      return new Promise<never>((_, reject) => (this.rejectLoad = reject));
    }
    await new Promise((r) => setTimeout(r, 5));
    return { id, total: TOTAL };
  }

  async listingCancel(id: number) {
    this.cancelled.push(id);
    this.rejectLoad?.({ code: 'cancelled', field: null, detail: null });
  }

  async listingWindow(id: number, offset: number, limit: number) {
    this.windowCalls.push([id, offset, limit]);
    // Sorted by size descending: the reverse of the name order.
    return Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, k) => entry(TOTAL - 1 - (offset + k)));
  }

  async listingClose(id: number) {
    this.closed.push(id);
  }
}


let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;
let navigated: string[] = [];
let wentToBuckets = 0;

function render(source: FakeSource, prefix = '') {
  navigated = [];
  wentToBuckets = 0;
  component = mount(Browser, {
    target: host,
    props: {
      source,
      bucket: 'photos',
      prefix,
      onnavigate: (p: string) => navigated.push(p),
      onbuckets: () => wentToBuckets++,
    },
  });
  flushSync();
}

const grid = () => host.querySelector<HTMLElement>('[role="grid"]')!;
// Entry rows only (the header row lives in its own rowgroup).
const rows = () => host.querySelectorAll('[role="grid"] .body [role="row"]');
const scroller = () => host.querySelector<HTMLElement>('[role="grid"] .body')!;
const rowAt = (ariaIndex: number) => host.querySelector<HTMLElement>(`[role="row"][aria-rowindex="${ariaIndex}"]`);

function scrollToEnd() {
  const s = scroller();
  s.scrollTop = s.scrollHeight;
  s.dispatchEvent(new Event('scroll'));
}

beforeEach(() => {
  host = document.createElement('div');
  host.style.cssText = 'width: 900px; height: 640px; display: flex; flex-direction: column;';
  document.body.appendChild(host);
});

afterEach(() => {
  if (component) unmount(component);
  component = null;
  host.remove();
});

describe('object browser over 100,000 entries', () => {
  it('streams pages while scrolling, keeps few rows in the DOM, and reaches the last page', async () => {
    const source = new FakeSource();
    render(source);
    // The virtual list may draw one row before it has measured the view.
    await until(() => rows().length > 5, 'a screenful of rows');

    expect(source.pageCalls[0]).toBeNull();
    expect(grid().getAttribute('aria-rowcount')).toBe('-1');
    expect(rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThan(200);
    expect(host.querySelectorAll('[role="columnheader"]').length).toBe(3);
    expect(host.querySelector('[role="columnheader"][aria-sort="ascending"]')!.textContent).toContain('Name');

    // Scroll to the end again and again until the last page has come.
    let maxRows = 0;
    await until(
      () => {
        scrollToEnd();
        maxRows = Math.max(maxRows, rows().length);
        return grid().getAttribute('aria-rowcount') !== '-1';
      },
      'the last page',
      60_000,
    );

    expect(source.pageCalls).toContain(LAST_TOKEN);
    expect(source.pageCalls.length).toBe(TOTAL / PAGE);
    expect(new Set(source.pageCalls).size).toBe(source.pageCalls.length); // no page fetched twice
    // Header row + 100,000 entries.
    expect(grid().getAttribute('aria-rowcount')).toBe(String(TOTAL + 1));
    expect(grid().dataset.total).toBe(String(TOTAL));

    await until(() => {
      scrollToEnd();
      return rowAt(TOTAL + 1) !== null;
    }, 'the last row');
    expect(rowAt(TOTAL + 1)!.textContent).toContain('file-099999.txt');
    expect(maxRows).toBeLessThan(200);
    expect(rows().length).toBeLessThan(200);
    expect(rows().length).toBeGreaterThan(5);
  });

  it('sorts by size through the engine with progress, then reads windows while scrolling', async () => {
    const source = new FakeSource();
    render(source);
    await until(() => rows().length > 0, 'first rows');

    const sizeHeader = [...host.querySelectorAll<HTMLElement>('[role="columnheader"]')].find((h) => h.textContent?.includes('Size'))!;
    sizeHeader.querySelector('button')!.click();
    await until(() => host.textContent!.includes('Loaded 12,345 entries…'), 'progress text');
    expect(source.loadCalls).toEqual([{ by: 'size', descending: true, foldersFirst: false }]);

    await until(() => grid().getAttribute('aria-rowcount') === String(TOTAL + 1), 'sorted total');
    await until(() => rowAt(2)?.textContent?.includes('file-099999.txt') ?? false, 'first sorted row');
    expect(sizeHeader.getAttribute('aria-sort')).toBe('descending');
    expect(host.textContent).not.toContain('Loaded 12,345');

    await until(() => {
      scrollToEnd();
      return rowAt(TOTAL + 1)?.textContent?.includes('folder-000000') ?? false;
    }, 'last sorted row');
    expect(source.windowCalls.some(([id, offset]) => id === 7 && offset === TOTAL - 200)).toBe(true);
    expect(source.windowCalls.length).toBeLessThan(20); // windows near the view only, not the whole list
    expect(rows().length).toBeLessThan(200);
  });

  it('cancels a whole-prefix load with the id from the first progress event', async () => {
    const source = new FakeSource();
    source.hangLoad = true;
    render(source);
    await until(() => rows().length > 0, 'first rows');

    const modified = [...host.querySelectorAll<HTMLElement>('[role="columnheader"]')].find((h) => h.textContent?.includes('Modified'))!;
    modified.querySelector('button')!.click();
    await until(() => host.textContent!.includes('Loaded 12,345'), 'progress');
    const cancel = [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!;
    cancel.click();
    await until(() => source.cancelled.length === 1, 'cancel call');
    expect(source.cancelled).toEqual([7]);
    await until(() => !host.textContent!.includes('Loaded 12,345'), 'progress gone');
    // Back in streamed name order.
    expect(host.querySelector('[role="columnheader"][aria-sort="ascending"]')!.textContent).toContain('Name');
  });

  it('cancels a load even when Cancel comes before the engine named it', async () => {
    const source = new FakeSource();
    source.hangLoad = true;
    let release = () => {};
    source.firstProgressAfter = new Promise((r) => (release = r));
    render(source);
    await until(() => rows().length > 0, 'first rows');

    const size = [...host.querySelectorAll<HTMLElement>('[role="columnheader"]')].find((h) => h.textContent?.includes('Size'))!;
    size.querySelector('button')!.click();
    await until(() => source.loadCalls.length === 1, 'the load started');
    const cancel = () => [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel');
    await until(() => !!cancel(), 'the cancel button');
    cancel()!.click();
    expect(source.cancelled).toEqual([]);
    release();
    await until(() => source.cancelled.length === 1, 'the cancel sent once the id is known');
    expect(source.cancelled).toEqual([7]);
  });

  it('after a cancelled sort the headers show the order on screen', async () => {
    const source = new FakeSource();
    render(source);
    await until(() => rows().length > 0, 'first rows');
    const header = (label: string) =>
      [...host.querySelectorAll<HTMLElement>('[role="columnheader"]')].find((h) => h.textContent?.includes(label))!;
    header('Size').querySelector('button')!.click();
    await until(() => header('Size').getAttribute('aria-sort') === 'descending' && source.windowCalls.length > 0, 'sorted by size');

    source.hangLoad = true;
    header('Modified').querySelector('button')!.click();
    await until(() => host.textContent!.includes('Loaded 12,345'), 'second load in progress');
    [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!.click();
    await until(() => !host.textContent!.includes('Loaded 12,345'), 'progress gone');
    expect(header('Size').getAttribute('aria-sort')).toBe('descending');
    expect(header('Modified').getAttribute('aria-sort')).toBe('none');
  });

  it('sorts with Enter on a column header instead of opening the focused row', async () => {
    const source = new FakeSource();
    render(source);
    await until(() => rows().length > 0, 'first rows');
    const size = [...host.querySelectorAll<HTMLElement>('[role="columnheader"]')].find((h) => h.textContent?.includes('Size'))!;
    const button = size.querySelector('button')!;
    button.focus();
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    button.dispatchEvent(enter);
    flushSync();
    expect(enter.defaultPrevented).toBe(false);
    expect(navigated).toEqual([]);
    const backspace = new KeyboardEvent('keydown', { key: 'Backspace', bubbles: true, cancelable: true });
    button.dispatchEvent(backspace);
    expect(navigated).toEqual([]);
  });

  it('moves with the keyboard, opens folders with Enter and goes up with Backspace', async () => {
    const source = new FakeSource();
    render(source, 'photos/2024/');
    await until(() => rows().length > 0, 'first rows');
    const g = grid();
    g.focus();
    const key = (k: string) => {
      g.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
      flushSync();
    };
    const active = () => document.getElementById(g.getAttribute('aria-activedescendant')!);

    expect(active()?.getAttribute('aria-rowindex')).toBe('2');
    key('ArrowDown');
    key('ArrowDown');
    expect(active()?.getAttribute('aria-rowindex')).toBe('4');
    expect(active()?.getAttribute('aria-selected')).toBe('true');
    key('ArrowUp');
    key('Enter');
    expect(navigated).toEqual(['photos/2024/folder-000001/']);

    key('End');
    // End goes to the last loaded row (1,000 after the first page) and pulls the next page.
    await until(() => active()?.getAttribute('aria-rowindex') === String(PAGE + 1), 'the last loaded row');
    await until(() => source.pageCalls.includes('1'), 'the next page');
    key('Home');
    await until(() => active()?.getAttribute('aria-rowindex') === '2', 'the first row');

    key('Backspace');
    expect(navigated.at(-1)).toBe('photos/');
    expect(wentToBuckets).toBe(0);
  });

  it('shows an empty folder and an inline error with retry', async () => {
    const empty = new FakeSource();
    empty.objectsPage = async (_b, _p, token) => {
      empty.pageCalls.push(token);
      return { entries: [], nextToken: null };
    };
    render(empty, 'photos/empty/');
    await until(() => host.textContent!.includes('This folder is empty'), 'empty state');
    (document.activeElement as HTMLElement | null)?.blur();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Backspace', bubbles: true, cancelable: true }));
    expect(navigated, 'Backspace goes up even without a grid').toEqual(['photos/']);
    unmount(component!);
    component = null;

    const failing = new FakeSource();
    let fail = true;
    const real = failing.objectsPage.bind(failing);
    failing.objectsPage = async (b, p, token) => {
      if (fail) {
        fail = false;
        throw { code: 'timeout', field: null, detail: 'operation timed out after 30s' };
      }
      return real(b, p, token);
    };
    render(failing);
    await until(() => host.querySelector('[role="alert"]') !== null, 'error panel');
    expect(host.textContent).toContain('The storage took too long to answer.');
    expect(host.textContent).toContain('Check your internet connection');
    const retry = [...host.querySelectorAll('button')].find((b) => b.textContent?.includes('Try again'))!;
    retry.click();
    await until(() => rows().length > 0, 'rows after retry');
  });
});
