// What the object browser's browser tests share: a fake engine with a folder
// of 40 entries, the browser mounted in real Chromium, and ways to reach rows,
// dialogs and menu items.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, vi } from 'vitest';
import '../../lib/design/tokens.css';
import type { ListingSource, PageSource } from '../../lib/api';
import type { ObjectEntry } from '../../lib/bindings/ObjectEntry';
import { toasts } from '../../lib/components/toast.svelte';
import { until } from '../../test/until';
import Browser from '../Browser.svelte';
import type { TransferCenter } from '../transfers/center.svelte';
import { FakeObjectApi } from './fake-object-api';

export const FOLDERS = 2;
export const TOTAL = 40;

export function entry(i: number, prefix = ''): ObjectEntry {
  const n = String(i).padStart(3, '0');
  return i < FOLDERS
    ? { key: `${prefix}folder-${n}/`, name: `folder-${n}`, kind: 'folder', size: null, modified: null, storageClass: null }
    : {
        key: `${prefix}file-${n}.txt`,
        name: `file-${n}.txt`,
        kind: 'object',
        size: i * 1000,
        modified: { utcMs: Date.UTC(2026, 0, 1), offsetS: 18000 },
        storageClass: 'STANDARD',
      };
}

export class FakeSource extends FakeObjectApi implements PageSource, ListingSource {
  pageCalls = 0;
  /** Keys deleted through the fake: gone from later listings. */
  gone = new Set<string>();
  async objectsPage(_bucket: string, prefix: string, _token?: string | null) {
    this.pageCalls++;
    const entries = Array.from({ length: TOTAL }, (_, i) => entry(i, prefix)).filter((e) => !this.gone.has(e.key));
    return { entries, nextToken: null as string | null };
  }
  async objectsDelete(bucket: string, keys: string[], opId: number, onProgress?: (n: number) => void) {
    const deleted = await super.objectsDelete(bucket, keys, opId, onProgress);
    for (const k of keys) this.gone.add(k);
    return deleted;
  }
  async listingLoad(): Promise<never> {
    throw new Error('not used');
  }
  async listingCancel() {}
  async listingWindow() {
    return [];
  }
  async listingClose() {}
}

export let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;
export let navigated: string[] = [];

/** Mounts the browser and waits for `firstRow`; null for a folder with no rows. */
export async function render(source: FakeSource, prefix = '', firstRow: string | null = 'file-010.txt', transfers: TransferCenter | null = null) {
  navigated = [];
  component = mount(Browser, {
    target: host,
    props: { source, bucket: 'photos', prefix, onnavigate: (p: string) => navigated.push(p), onbuckets: () => {}, transfers },
  });
  flushSync();
  if (firstRow !== null) await until(() => rowByName(firstRow) !== null, 'first rows');
}

export const grid = () => host.querySelector<HTMLElement>('[role="grid"]')!;
export function rowByName(name: string): HTMLElement | null {
  return [...host.querySelectorAll<HTMLElement>('[role="grid"] .body [role="row"]')].find(
    (r) => r.querySelector('.text')?.textContent === name,
  ) ?? null;
}
export const selectedNames = () =>
  [...host.querySelectorAll<HTMLElement>('[role="row"][aria-selected="true"]')].map((r) => r.querySelector('.text')!.textContent);
export const checkMarks = () => host.querySelectorAll('[role="row"] .check svg').length;

export function click(name: string, init: MouseEventInit = {}) {
  rowByName(name)!.querySelector('.cells')!.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1, ...init }));
  flushSync();
}

export function key(target: EventTarget, k: string, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  flushSync();
  return event;
}

export const dialog = () => host.ownerDocument.querySelector<HTMLElement>('[role="dialog"], [role="alertdialog"]');
export const button = (label: string) =>
  [...document.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === label);
export const menuItem = (action: string) => document.querySelector<HTMLElement>(`[role="menuitem"][data-action="${action}"]`);

export function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

export const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
export const toastTexts = () => toasts.map((t) => t.message);

/** Mounts a fresh host for each test of the file that calls it, and cleans up. */
export function useBrowserHost() {
  beforeEach(() => {
    host = document.createElement('div');
    host.style.cssText = 'width: 900px; height: 640px; display: flex; flex-direction: column;';
    document.body.appendChild(host);
    toasts.splice(0);
  });

  afterEach(() => {
    if (component) unmount(component);
    component = null;
    host.remove();
    vi.restoreAllMocks();
  });
}
