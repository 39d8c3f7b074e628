// The object browser's selection, menu and dialogs against a fake engine, in
// real Chromium (the grid is virtual and needs layout).
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../../lib/design/tokens.css';
import type { ListingSource, PageSource } from '../../lib/api';
import type { ObjectEntry } from '../../lib/bindings/ObjectEntry';
import { toasts } from '../../lib/components/toast.svelte';
import { until } from '../../test/until';
import Browser from '../Browser.svelte';
import { FakeObjectApi } from './fake-object-api';

const FOLDERS = 2;
const TOTAL = 40;

function entry(i: number, prefix = ''): ObjectEntry {
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

class FakeSource extends FakeObjectApi implements PageSource, ListingSource {
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

let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;
let navigated: string[] = [];

async function render(source: FakeSource, prefix = '', firstRow = 'file-010.txt') {
  navigated = [];
  component = mount(Browser, {
    target: host,
    props: { source, bucket: 'photos', prefix, onnavigate: (p: string) => navigated.push(p), onbuckets: () => {} },
  });
  flushSync();
  await until(() => rowByName(firstRow) !== null, 'first rows');
}

const grid = () => host.querySelector<HTMLElement>('[role="grid"]')!;
function rowByName(name: string): HTMLElement | null {
  return [...host.querySelectorAll<HTMLElement>('[role="grid"] .body [role="row"]')].find(
    (r) => r.querySelector('.text')?.textContent === name,
  ) ?? null;
}
const selectedNames = () =>
  [...host.querySelectorAll<HTMLElement>('[role="row"][aria-selected="true"]')].map((r) => r.querySelector('.text')!.textContent);
const checkMarks = () => host.querySelectorAll('[role="row"] .check svg').length;

function click(name: string, init: MouseEventInit = {}) {
  rowByName(name)!.querySelector('.cells')!.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1, ...init }));
  flushSync();
}

function key(target: EventTarget, k: string, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  flushSync();
  return event;
}

const dialog = () => host.ownerDocument.querySelector<HTMLElement>('[role="dialog"], [role="alertdialog"]');
const button = (label: string) =>
  [...document.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === label);
const menuItem = (action: string) => document.querySelector<HTMLElement>(`[role="menuitem"][data-action="${action}"]`);

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

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

describe('selection', () => {
  it('selects with click, toggles with Ctrl+click and extends with Shift+click, marked with a check', async () => {
    await render(new FakeSource());
    expect(grid().getAttribute('aria-multiselectable')).toBe('true');

    click('file-005.txt');
    expect(selectedNames()).toEqual(['file-005.txt']);
    expect(checkMarks()).toBe(1);

    click('file-008.txt', { ctrlKey: true });
    expect(selectedNames()).toEqual(['file-005.txt', 'file-008.txt']);
    click('file-005.txt', { ctrlKey: true });
    expect(selectedNames()).toEqual(['file-008.txt']);

    // The range runs from the last plain or Ctrl click, and replaces the selection.
    click('file-011.txt', { shiftKey: true });
    expect(selectedNames()).toEqual(['file-005.txt', 'file-006.txt', 'file-007.txt', 'file-008.txt', 'file-009.txt', 'file-010.txt', 'file-011.txt']);
    click('file-009.txt');
    click('file-011.txt', { shiftKey: true });
    expect(selectedNames()).toEqual(['file-009.txt', 'file-010.txt', 'file-011.txt']);
    // Ctrl+Shift adds a range to what is selected.
    click('file-002.txt', { ctrlKey: true, shiftKey: true });
    expect(selectedNames()).toEqual(['file-002.txt', 'file-003.txt', 'file-004.txt', 'file-005.txt', 'file-006.txt', 'file-007.txt', 'file-008.txt', 'file-009.txt', 'file-010.txt', 'file-011.txt']);
    click('file-011.txt', { shiftKey: true });
    expect(selectedNames()).toEqual(['file-009.txt', 'file-010.txt', 'file-011.txt']);
    expect(checkMarks()).toBe(3);
    expect(host.querySelector('[data-testid="selected-count"]')!.textContent).toBe('Selected: 3');

    click('file-003.txt');
    expect(selectedNames()).toEqual(['file-003.txt']);
    expect(navigated).toEqual([]);
  });

  it('extends with Shift+Arrow, selects all with Ctrl+A and clears with Escape', async () => {
    await render(new FakeSource());
    click('file-004.txt');
    const g = grid();
    key(g, 'ArrowDown', { shiftKey: true });
    key(g, 'ArrowDown', { shiftKey: true });
    expect(selectedNames()).toEqual(['file-004.txt', 'file-005.txt', 'file-006.txt']);
    key(g, 'ArrowUp', { shiftKey: true });
    expect(selectedNames()).toEqual(['file-004.txt', 'file-005.txt']);

    // A plain arrow moves the selection with the focus.
    key(g, 'ArrowDown');
    expect(selectedNames()).toEqual(['file-006.txt']);

    // Ctrl+Arrow moves the focus alone; Ctrl+Space picks the row.
    key(g, 'ArrowDown', { ctrlKey: true });
    key(g, 'ArrowDown', { ctrlKey: true });
    expect(selectedNames()).toEqual(['file-006.txt']);
    key(g, ' ', { ctrlKey: true });
    expect(selectedNames()).toEqual(['file-006.txt', 'file-008.txt']);

    // "ф" is where A is on a Russian or Kazakh layout.
    key(g, 'ф', { code: 'KeyA', ctrlKey: true });
    expect(host.querySelector('[data-testid="selected-count"]')!.textContent).toBe(`Selected: ${TOTAL}`);

    const escape = key(g, 'Escape');
    expect(escape.defaultPrevented).toBe(true);
    expect(selectedNames()).toEqual([]);
    expect(host.querySelector('[data-testid="selected-count"]')).toBeNull();
  });
});

describe('actions menu', () => {
  it('opens from the keyboard on the focused row and closes on Escape, focus back in the grid', async () => {
    await render(new FakeSource());
    const g = grid();
    g.focus();
    key(g, 'ArrowDown');
    key(g, 'ArrowDown');
    key(g, 'ArrowDown');
    expect(selectedNames()).toEqual(['file-003.txt']);

    key(g, 'F10', { shiftKey: true });
    await until(() => document.querySelector('[role="menu"]') !== null, 'the menu');
    await until(() => document.activeElement?.getAttribute('role') === 'menuitem', 'focus in the menu');
    expect(document.activeElement!.getAttribute('data-action')).toBe('preview');
    expect(menuItem('rename')!.getAttribute('aria-keyshortcuts')).toBe('F2');
    key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement!.getAttribute('data-action')).toBe('rename');

    key(document.activeElement!, 'Escape');
    expect(document.querySelector('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(g);

    // The menu key does the same.
    key(g, 'ContextMenu');
    await until(() => document.activeElement?.getAttribute('role') === 'menuitem', 'the menu again');
    key(document.activeElement!, 'Escape');
    expect(document.querySelector('[role="menu"]')).toBeNull();
  });

  it('opens with a right click on a row, selecting that row', async () => {
    await render(new FakeSource());
    click('file-002.txt');
    rowByName('file-007.txt')!
      .querySelector('.cells')!
      .dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 100, clientY: 200 }));
    flushSync();
    expect(selectedNames()).toEqual(['file-007.txt']);
    await until(() => document.querySelector('[role="menu"]') !== null, 'the menu');
    expect(menuItem('delete')!.getAttribute('aria-disabled')).toBeNull();
    // A click elsewhere closes it.
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    flushSync();
    expect(document.querySelector('[role="menu"]')).toBeNull();
  });
});

describe('toolbar', () => {
  it('the Actions button opens the same menu and Escape gives focus back to the button', async () => {
    await render(new FakeSource());
    click('file-004.txt');
    const actions = button('Actions')!;
    expect(actions.getAttribute('aria-haspopup')).toBe('menu');
    actions.focus();
    actions.click();
    await until(() => document.activeElement?.getAttribute('role') === 'menuitem', 'focus in the menu');
    expect(actions.getAttribute('aria-expanded')).toBe('true');
    key(document.activeElement!, 'Escape');
    expect(document.querySelector('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(actions);
  });

  it('Delete in the toolbar is disabled without a selection', async () => {
    await render(new FakeSource());
    expect(button('Delete')!.disabled).toBe(true);
    click('file-004.txt');
    expect(button('Delete')!.disabled).toBe(false);
  });
});

describe('dialogs', () => {
  it('new folder: the button stays disabled for ".." and "a/b", then creates and refreshes', async () => {
    const source = new FakeSource();
    await render(source, 'docs/');
    key(window, 'Т', { code: 'KeyN', ctrlKey: true, shiftKey: true });
    await until(() => dialog()?.textContent?.includes('Folder name') ?? false, 'the dialog');
    const input = dialog()!.querySelector<HTMLInputElement>('input[name="name"]')!;
    await until(() => document.activeElement === input, 'focus in the name field');
    const create = () => button('Create')!;
    expect(create().disabled).toBe(true);
    expect(dialog()!.textContent).not.toContain('Enter a name.');

    type(input, '..');
    await until(() => dialog()!.textContent!.includes('“.” and “..” cannot be used as a name.'), 'dot problem');
    expect(create().disabled).toBe(true);
    expect(input.getAttribute('aria-invalid')).toBe('true');

    type(input, 'a/b');
    await until(() => dialog()!.textContent!.includes('cannot contain “/”'), 'slash problem');
    expect(create().disabled).toBe(true);

    type(input, 'Есептер');
    await until(() => !create().disabled, 'a valid name');
    const pagesBefore = source.pageCalls;
    create().click();
    await until(() => dialog() === null, 'the dialog closed');
    expect(source.called('folderCreate')).toEqual([['folderCreate', 'photos', 'docs/', 'Есептер']]);
    expect(source.pageCalls).toBeGreaterThan(pagesBefore);
    expect(toasts.map((t) => t.message)).toContain('Folder “Есептер” created');
  });

  it('rename with F2 sends the new name', async () => {
    const source = new FakeSource();
    await render(source);
    click('file-006.txt');
    key(grid(), 'F2');
    await until(() => dialog()?.textContent?.includes('Rename “file-006.txt”') ?? false, 'the dialog');
    const input = dialog()!.querySelector<HTMLInputElement>('input[name="name"]')!;
    expect(input.value).toBe('file-006.txt');
    // Ready to type a new name over the old one, the extension kept.
    await until(() => document.activeElement === input, 'focus in the name');
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, 'file-006'.length]);
    expect(button('Rename')!.disabled).toBe(true); // nothing changed yet
    type(input, 'report.txt');
    await until(() => !button('Rename')!.disabled, 'enabled');
    button('Rename')!.click();
    await until(() => source.called('objectRename').length === 1, 'rename call');
    expect(source.called('objectRename')[0].slice(0, 4)).toEqual(['objectRename', 'photos', 'file-006.txt', 'report.txt']);
  });

  it('delete measures first, states count, size and permanence, and deletes only after confirming', async () => {
    const source = new FakeSource();
    source.measure = { objects: 1234, bytes: 2_500_000 };
    await render(source);
    click('folder-001');
    click('file-004.txt', { ctrlKey: true });
    key(grid(), 'Delete');
    await until(() => source.called('objectsMeasure').length === 1, 'measure');
    expect(source.called('objectsMeasure')[0][2]).toEqual(['folder-001/', 'file-004.txt']);
    await until(() => !!document.querySelector('[data-testid="delete-summary"]'), 'the summary');
    expect(dialog()!.getAttribute('role')).toBe('alertdialog');
    expect(document.querySelector('[data-testid="delete-summary"]')!.textContent!.trim()).toBe(
      '1,234 objects (2.5\u00a0MB) will be deleted.',
    );
    expect(dialog()!.textContent).toContain('Deletion is permanent');
    expect(source.called('objectsDelete')).toEqual([]);

    const pagesBefore = source.pageCalls;
    button('Delete permanently')!.click();
    await until(() => dialog() === null, 'the dialog closed');
    expect(source.called('objectsDelete').map((c) => c[2])).toEqual([['folder-001/', 'file-004.txt']]);
    expect(toasts.map((t) => t.message)).toContain('1,234 objects deleted');
    // The listing is read again, and the grid keeps its place and the focus.
    await until(() => source.pageCalls > pagesBefore && selectedNames().length === 0, 'the refreshed listing');
    expect(document.activeElement).toBe(grid());
    expect(document.getElementById(grid().getAttribute('aria-activedescendant')!)!.getAttribute('aria-rowindex')).toBe('6');
  });

  it('delete is not sent when the confirmation is cancelled, and a slow measure can be cancelled', async () => {
    const source = new FakeSource();
    let release = () => {};
    source.objectsMeasure = async (bucket, keys, opId) => {
      source.calls.push(['objectsMeasure', bucket, keys, opId]);
      await new Promise<void>((r) => (release = r));
      throw { code: 'cancelled', field: null, detail: null };
    };
    await render(source);
    click('file-004.txt');
    key(grid(), 'Delete');
    await until(() => dialog()?.textContent?.includes('Counting what will be deleted') ?? false, 'measuring');
    button('Cancel')!.click();
    const opId = source.called('objectsMeasure')[0][3];
    expect(source.cancelledOps).toEqual([opId]);
    release();
    await until(() => dialog() === null, 'closed after the engine stopped');
    expect(source.called('objectsDelete')).toEqual([]);
  });

  it('share link: picks an expiry, shows the link and its end, copies it', async () => {
    const source = new FakeSource();
    await render(source);
    click('file-009.txt');
    key(grid(), 'ContextMenu');
    await until(() => menuItem('share') !== null, 'the menu');
    menuItem('share')!.click();
    await until(() => dialog()?.textContent?.includes('Share “file-009.txt”') ?? false, 'the dialog');
    const select = dialog()!.querySelector<HTMLSelectElement>('select[name="expiry"]')!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['1 hour', '1 day', '3 days', '7 days']);
    select.value = String(7 * 24 * 3600);
    select.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
    button('Create link')!.click();
    await until(() => !!document.querySelector('[data-testid="copy-link"]'), 'the link');
    expect(source.called('objectShareLink')).toEqual([['objectShareLink', 'photos', 'file-009.txt', 604800]]);
    const url = 'https://s3.example.kz/photos/file-009.txt?X-Amz-Expires=604800';
    expect(dialog()!.querySelector<HTMLInputElement>('input[name="link"]')!.value).toBe(url);
    // 09:05 UTC at UTC+5, formatted from the engine's offset.
    expect(document.querySelector('[data-testid="link-expires"]')!.textContent).toBe('Works until 25 Nov 2026, 14:05');

    document.querySelector<HTMLButtonElement>('[data-testid="copy-link"]')!.click();
    await until(() => source.copied.length === 1, 'copied');
    expect(source.copied).toEqual([url]);
    await until(() => toasts.some((t) => t.message === 'Link copied'), 'the toast');
  });

  it('properties show the class in words and save edited headers', async () => {
    const source = new FakeSource();
    await render(source);
    click('file-003.txt');
    key(grid(), 'Enter', { altKey: true });
    await until(() => !!document.querySelector('[data-testid="storage-class"]'), 'the properties');
    // The same words as the bucket screens.
    expect(document.querySelector('[data-testid="storage-class"]')!.textContent).toBe('Cold storage');
    expect(dialog()!.textContent).toContain('24 Nov 2026, 14:05');
    expect(dialog()!.textContent).toContain('"abc123"');
    expect(dialog()!.textContent).toContain('author: Aigerim');

    button('Edit')!.click();
    flushSync();
    const contentType = dialog()!.querySelector<HTMLInputElement>('input[name="content-type"]')!;
    type(contentType, 'text/csv');
    button('Add a field')!.click();
    flushSync();
    const keys = dialog()!.querySelectorAll<HTMLInputElement>('.meta-row input[aria-label^="Name"]');
    type(keys[1], 'bad key');
    expect(dialog()!.textContent).toContain('Use Latin letters, digits and - _ . only.');
    expect(button('Save')!.disabled).toBe(true);
    type(keys[1], 'Project');
    const values = dialog()!.querySelectorAll<HTMLInputElement>('.meta-row input[aria-label^="Value"]');
    type(values[1], 'Qoima');
    button('Save')!.click();
    await until(() => source.called('objectUpdateHeaders').length === 1, 'saved');
    expect(source.called('objectUpdateHeaders')[0][3]).toEqual({
      contentType: 'text/csv',
      metadata: { author: 'Aigerim', project: 'Qoima' },
    });
  });

  it('preview shows text as text, never as HTML, and explains a refusal', async () => {
    const source = new FakeSource();
    const fetchMock = vi.spyOn(window, 'fetch').mockResolvedValueOnce(new Response('<b>bold</b> line', { status: 200 }));
    await render(source);
    click('file-002.txt');
    key(grid(), ' ');
    await until(() => !!document.querySelector('[data-testid="preview-text"]'), 'the text');
    expect(fetchMock).toHaveBeenCalledWith('/__preview/photos/file-002.txt', expect.objectContaining({ signal: expect.any(AbortSignal) }));
    const pre = document.querySelector('[data-testid="preview-text"]')!;
    expect(pre.textContent).toBe('<b>bold</b> line');
    expect(pre.querySelector('b')).toBeNull();
    button('Close')!.click();
    await until(() => dialog() === null, 'closed');

    fetchMock.mockResolvedValueOnce(new Response('preview_too_large', { status: 413 }));
    rowByName('file-003.txt')!.querySelector('.cells')!.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    await until(() => dialog()?.textContent?.includes('This object is too large to preview.') ?? false, 'the refusal');
  });

  it('an image the WebView cannot draw is said to be unpreviewable, not an error', async () => {
    const source = new FakeSource();
    // Bytes arrive, but they are no image: the <img> fails and the endpoint answers 200.
    source.previewUrl = () => 'data:text/plain,not-an-image';
    const png: ObjectEntry = { ...entry(5), key: 'photo.png', name: 'photo.png' };
    source.objectsPage = async () => ({ entries: [png], nextToken: null });
    await render(source, '', 'photo.png');
    rowByName('photo.png')!.querySelector('.cells')!.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    await until(() => dialog()?.textContent?.includes('cannot be previewed here') ?? false, 'the explanation');
    expect(dialog()!.querySelector('[role="alert"]')).toBeNull();
  });

  it('copy to another folder sends the destination; moving into the same folder is refused', async () => {
    const source = new FakeSource();
    await render(source, 'docs/');
    click('file-002.txt');
    key(grid(), 'F10', { shiftKey: true });
    await until(() => menuItem('move') !== null, 'the menu');
    menuItem('move')!.click();
    await until(() => dialog()?.textContent?.includes('Move to another place') ?? false, 'the dialog');
    await until(() => dialog()!.querySelectorAll('option').length === 2, 'the buckets');
    // It opens on the current folder: disabled, and the reason shows once something is typed.
    expect(button('Move')!.disabled).toBe(true);
    expect(dialog()!.textContent).not.toContain('the items are already here');
    const folder = dialog()!.querySelector<HTMLInputElement>('input[name="dest-folder"]')!;
    type(folder, '/docs/');
    expect(dialog()!.textContent).toContain('the items are already here');
    expect(button('Move')!.disabled).toBe(true);
    type(folder, ' /archive/2026/ ');
    const bucket = dialog()!.querySelector<HTMLSelectElement>('select')!;
    bucket.value = 'archive';
    bucket.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
    button('Move')!.click();
    await until(() => source.called('objectsTransfer').length === 1, 'transfer');
    expect(source.called('objectsTransfer')[0].slice(0, 6)).toEqual([
      'objectsTransfer',
      'photos',
      ['docs/file-002.txt'],
      'archive',
      'archive/2026/',
      true,
    ]);
    await until(() => dialog() === null, 'closed');
    expect(toasts.map((t) => t.message)).toContain('Moved: 1');
  });
});

describe('search', () => {
  it('searches below the folder after a pause, shows paths and a truncation note, and clearing returns', async () => {
    const source = new FakeSource();
    source.searchResult = {
      entries: [
        { ...entry(5, 'docs/2024/'), name: 'file-005.txt' },
        { ...entry(7, 'docs/'), name: 'file-007.txt' },
      ],
      truncated: true,
      scanned: 5000,
    };
    await render(source, 'docs/');
    const input = host.querySelector<HTMLInputElement>('input[type="search"]')!;
    type(input, 'f');
    type(input, 'fil');
    await until(() => !!host.querySelector('[data-testid="search-status"]'), 'results');
    // Only the last text was searched: the first never left the pause.
    expect(source.called('objectsSearch').map((c) => c[3])).toEqual(['fil']);
    expect(source.called('objectsSearch')[0][2]).toBe('docs/');
    expect(host.querySelector('[data-testid="search-status"]')!.textContent).toContain('Found: 2');
    expect(host.querySelector('[data-testid="search-status"]')!.textContent).toContain('after checking 5,000 names');
    await until(() => rowByName('2024/file-005.txt') !== null && rowByName('file-007.txt') !== null, 'both results');
    expect(rowByName('file-010.txt')).toBeNull();

    key(input, 'Escape');
    await until(() => rowByName('file-010.txt') !== null, 'the folder again');
    expect(host.querySelector('[data-testid="search-status"]')).toBeNull();
  });

  it('a new search cancels the one still running, and the older answer never replaces the newer', async () => {
    const source = new FakeSource();
    let release = () => {};
    let slowAnswered = false;
    source.objectsSearch = async (bucket, prefix, query, opId) => {
      source.calls.push(['objectsSearch', bucket, prefix, query, opId]);
      if (query === 'slow') {
        // An engine that answers even after being told to stop.
        await new Promise<void>((r) => (release = r));
        slowAnswered = true;
        return { entries: [entry(3), entry(4)], truncated: false, scanned: 40 };
      }
      return { entries: [entry(5)], truncated: false, scanned: 40 };
    };
    await render(source);
    const input = host.querySelector<HTMLInputElement>('input[type="search"]')!;
    type(input, 'slow');
    await until(() => source.called('objectsSearch').length === 1, 'the first search');
    type(input, 'fast');
    const slowOp = source.called('objectsSearch')[0][4];
    expect(source.cancelledOps).toContain(slowOp);
    await until(() => rowByName('file-005.txt') !== null && rowByName('file-010.txt') === null, 'the newer results');
    release();
    await until(() => slowAnswered, 'the older answer');
    await new Promise((r) => setTimeout(r, 50));
    flushSync();
    expect(host.querySelector('[data-testid="search-status"]')!.textContent).toContain('Found: 1');
    expect(rowByName('file-005.txt')).not.toBeNull();
    expect(rowByName('file-003.txt')).toBeNull();
    expect(rowByName('file-004.txt')).toBeNull();
  });
});

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const toastTexts = () => toasts.map((t) => t.message);

describe('focus stays on something when a control goes away', () => {
  it('properties: Edit → content type, Cancel/Save → Edit, a removed field → its neighbour, then Add', async () => {
    const source = new FakeSource();
    await render(source);
    click('file-003.txt');
    key(grid(), 'Enter', { altKey: true });
    await until(() => button('Edit') !== undefined, 'the properties');
    const edit = button('Edit')!;
    edit.focus();
    edit.click();
    await until(() => document.activeElement === dialog()!.querySelector('input[name="content-type"]'), 'focus on the content type');

    button('Cancel')!.focus();
    button('Cancel')!.click();
    await until(() => document.activeElement === button('Edit'), 'focus back on Edit after Cancel');

    button('Edit')!.click();
    await until(() => !!dialog()!.querySelector('input[name="content-type"]'), 'editing');
    button('Add a field')!.click();
    flushSync();
    const removes = () => [...dialog()!.querySelectorAll<HTMLButtonElement>('.meta-row [data-remove]')];
    expect(removes().length).toBe(2);
    removes()[1].focus();
    removes()[1].click();
    await until(() => removes().length === 1 && document.activeElement === removes()[0], 'focus on the remaining row');
    removes()[0].click();
    await until(() => removes().length === 0 && document.activeElement === button('Add a field'), 'focus on Add');

    button('Save')!.focus();
    button('Save')!.click();
    await until(() => source.called('objectUpdateHeaders').length === 1, 'saved');
    await until(() => document.activeElement === button('Edit'), 'focus on Edit after Save');
  });

  it('properties: a field name problem is tied to its input', async () => {
    const source = new FakeSource();
    await render(source);
    click('file-003.txt');
    key(grid(), 'Enter', { altKey: true });
    await until(() => button('Edit') !== undefined, 'the properties');
    button('Edit')!.click();
    flushSync();
    const keyInput = dialog()!.querySelector<HTMLInputElement>('.meta-row input[aria-label^="Name"]')!;
    expect(keyInput.getAttribute('aria-describedby')).toBeNull();
    type(keyInput, 'bad key');
    const described = document.getElementById(keyInput.getAttribute('aria-describedby') ?? '');
    expect(described?.textContent).toBe('Use Latin letters, digits and - _ . only.');
  });

  it('share: the new link gets the focus once "Create link" is gone', async () => {
    await render(new FakeSource());
    click('file-009.txt');
    key(grid(), 'ContextMenu');
    await until(() => menuItem('share') !== null, 'the menu');
    menuItem('share')!.click();
    await until(() => button('Create link') !== undefined, 'the dialog');
    button('Create link')!.focus();
    button('Create link')!.click();
    await until(() => document.activeElement === dialog()?.querySelector('input[name="link"]'), 'focus on the link');
    expect(button('Create link')).toBeUndefined();
  });
});

describe('keys while a dialog or the menu is open', () => {
  it('Backspace with the focus on the page does not go up a folder', async () => {
    const source = new FakeSource();
    await render(source, 'docs/');
    key(window, 'N', { code: 'KeyN', ctrlKey: true, shiftKey: true });
    await until(() => dialog() !== null, 'the dialog');
    (document.activeElement as HTMLElement | null)?.blur();
    key(document.body, 'Backspace');
    expect(navigated).toEqual([]);
    button('Cancel')!.click();
    await until(() => dialog() === null, 'closed');

    button('Actions')!.click();
    await until(() => document.querySelector('[role="menu"]') !== null, 'the menu');
    key(document.body, 'Backspace');
    expect(navigated).toEqual([]);
    expect(document.querySelector('[role="menu"]')).not.toBeNull();
  });
});

describe('opening files', () => {
  it('Enter and double click on a file that cannot be previewed explain why', async () => {
    const source = new FakeSource();
    const zip: ObjectEntry = { ...entry(5), key: 'archive.zip', name: 'archive.zip' };
    source.objectsPage = async () => ({ entries: [entry(0), zip], nextToken: null });
    await render(source, '', 'archive.zip');
    rowByName('archive.zip')!.querySelector('.cells')!.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    await until(() => dialog()?.textContent?.includes('cannot be previewed here') ?? false, 'the explanation');
    button('Close')!.click();
    await until(() => dialog() === null, 'closed');
    click('archive.zip');
    key(grid(), 'Enter');
    await until(() => dialog()?.textContent?.includes('cannot be previewed here') ?? false, 'the explanation after Enter');
  });

  it('preview reads Windows-1251 text and stops reading when closed', async () => {
    const source = new FakeSource();
    const cp1251 = Uint8Array.from('Привет из Алматы', (c) => (c >= 'А' && c <= 'я' ? c.charCodeAt(0) - 0x410 + 0xc0 : c.charCodeAt(0)));
    const fetchMock = vi.spyOn(window, 'fetch').mockResolvedValueOnce(new Response(cp1251, { status: 200 }));
    await render(source);
    click('file-002.txt');
    key(grid(), ' ');
    await until(() => !!document.querySelector('[data-testid="preview-text"]'), 'the text');
    expect(document.querySelector('[data-testid="preview-text"]')!.textContent).toBe('Привет из Алматы');
    button('Close')!.click();
    await until(() => dialog() === null, 'closed');

    let signal: AbortSignal | undefined;
    fetchMock.mockImplementationOnce((_url, init) => {
      signal = init?.signal ?? undefined;
      return new Promise<Response>((_, reject) => signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    click('file-003.txt');
    key(grid(), ' ');
    await until(() => signal !== undefined, 'the read');
    expect(signal!.aborted).toBe(false);
    button('Close')!.click();
    await until(() => dialog() === null, 'closed again');
    expect(signal!.aborted).toBe(true);
  });
});

describe('search results', () => {
  const results = () => ({
    entries: [
      { ...entry(5, 'docs/2024/'), name: 'file-005.txt' },
      { ...entry(7, 'docs/'), name: 'file-007.txt' },
      { ...entry(3, 'docs/2024/'), name: 'file-003.txt' },
    ],
    truncated: false,
    scanned: 100,
  });

  async function search(source: FakeSource, q = 'file') {
    await render(source, 'docs/');
    const input = host.querySelector<HTMLInputElement>('input[type="search"]')!;
    type(input, q);
    key(input, 'Enter');
    await until(() => rowByName('2024/file-005.txt') !== null, 'the results');
    return input;
  }

  it('Space previews the focused result, not the row of the folder behind it', async () => {
    const source = new FakeSource();
    source.searchResult = results();
    const fetchMock = vi.spyOn(window, 'fetch').mockResolvedValue(new Response('text', { status: 200 }));
    await search(source);
    // In path order: 2024/file-003.txt, 2024/file-005.txt, file-007.txt.
    click('file-007.txt');
    key(grid(), ' ');
    await until(() => dialog() !== null, 'the preview');
    expect(dialog()!.querySelector('h2, [id$="title"]')?.textContent ?? dialog()!.textContent).toContain('file-007.txt');
    expect(fetchMock.mock.calls[0][0]).toBe('/__preview/photos/docs/file-007.txt');
  });

  it('rename starts from the name alone, and "already here" means the item\'s own folder', async () => {
    const source = new FakeSource();
    source.searchResult = results();
    await search(source);
    click('2024/file-005.txt');
    key(grid(), 'F2');
    await until(() => dialog()?.textContent?.includes('Rename “file-005.txt”') ?? false, 'the rename dialog');
    expect(dialog()!.querySelector<HTMLInputElement>('input[name="name"]')!.value).toBe('file-005.txt');
    button('Cancel')!.click();
    await until(() => dialog() === null, 'closed');

    // docs/2024/file-005.txt may go to docs/, where the search ran.
    key(grid(), 'F10', { shiftKey: true });
    await until(() => menuItem('move') !== null, 'the menu');
    menuItem('move')!.click();
    await until(() => dialog()?.querySelector('input[name="dest-folder"]') != null, 'the move dialog');
    const folder = dialog()!.querySelector<HTMLInputElement>('input[name="dest-folder"]')!;
    expect(folder.value).toBe('docs');
    expect(button('Move')!.disabled).toBe(false);
    type(folder, 'docs/2024');
    expect(dialog()!.textContent).toContain('the items are already here');
    expect(button('Move')!.disabled).toBe(true);
    button('Cancel')!.click();
    await until(() => dialog() === null, 'closed again');

    // With a result from docs/ in the selection too, docs/ is refused for that one.
    click('file-007.txt', { ctrlKey: true });
    key(grid(), 'F10', { shiftKey: true });
    await until(() => menuItem('copy') !== null, 'the menu again');
    menuItem('copy')!.click();
    await until(() => dialog()?.querySelector('input[name="dest-folder"]') != null, 'the copy dialog');
    type(dialog()!.querySelector<HTMLInputElement>('input[name="dest-folder"]')!, 'docs');
    expect(dialog()!.textContent).toContain('some of the items are already here');
    expect(button('Copy')!.disabled).toBe(true);
  });

  it('a refresh does not replace a search being typed with the old one', async () => {
    const source = new FakeSource();
    source.searchResult = results();
    let releaseDelete = () => {};
    source.objectsDelete = async (bucket, keys, opId) => {
      source.calls.push(['objectsDelete', bucket, keys, opId]);
      await new Promise<void>((r) => (releaseDelete = r));
      return keys.length;
    };
    const input = await search(source);
    click('file-007.txt');
    key(grid(), 'Delete');
    await until(() => button('Delete permanently') !== undefined, 'the confirmation');
    button('Delete permanently')!.click();
    await until(() => source.called('objectsDelete').length === 1, 'deleting');
    // Meanwhile a new search is typed; the delete ends within its pause.
    source.searchResult = { entries: [{ ...entry(9, 'docs/'), name: 'file-009.txt' }], truncated: false, scanned: 100 };
    type(input, 'new');
    releaseDelete();
    await until(() => rowByName('file-009.txt') !== null, 'the new results');
    expect(source.called('objectsSearch').map((c) => c[3])).toEqual(['file', 'new']);
  });
});

describe('selection across a refresh and unloaded rows', () => {
  it('a refresh in place keeps the selected entries that are still there', async () => {
    const source = new FakeSource();
    await render(source);
    click('file-004.txt');
    click('file-006.txt', { ctrlKey: true });
    key(window, 'N', { code: 'KeyN', ctrlKey: true, shiftKey: true });
    await until(() => dialog() !== null, 'the dialog');
    const input = dialog()!.querySelector<HTMLInputElement>('input[name="name"]')!;
    type(input, 'Жаңа');
    await until(() => !button('Create')!.disabled, 'a valid name');
    const pagesBefore = source.pageCalls;
    button('Create')!.click();
    await until(() => dialog() === null && source.pageCalls > pagesBefore, 'the refresh');
    await tick(100);
    flushSync();
    expect(selectedNames()).toEqual(['file-004.txt', 'file-006.txt']);
  });

  it('Ctrl+A in a folder still loading says how many of how many are selected, and delete counts those', async () => {
    const source = new FakeSource();
    source.objectsPage = async (_b, prefix, token) => {
      source.pageCalls++;
      if (token) return new Promise<never>(() => {});
      return { entries: Array.from({ length: TOTAL }, (_, i) => entry(i, prefix)), nextToken: 'more' };
    };
    await render(source);
    key(grid(), 'ф', { code: 'KeyA', ctrlKey: true });
    expect(host.querySelector('[data-testid="selected-count"]')!.textContent!.trim()).toBe(
      `Selected: ${TOTAL} of ${TOTAL}+. The rest have not loaded yet: scroll to them first.`,
    );
    key(grid(), 'Delete');
    await until(() => source.called('objectsMeasure').length === 1, 'measure');
    expect((source.called('objectsMeasure')[0][2] as string[]).length).toBe(TOTAL);
  });
});

describe('dialogs that end while work runs', () => {
  it('delete: Cancel pressed as the count finishes still cancels', async () => {
    const source = new FakeSource();
    let release = () => {};
    source.objectsMeasure = async (bucket, keys, opId) => {
      source.calls.push(['objectsMeasure', bucket, keys, opId]);
      await new Promise<void>((r) => (release = r));
      return { objects: 2, bytes: 10 };
    };
    await render(source);
    click('file-004.txt');
    key(grid(), 'Delete');
    await until(() => source.called('objectsMeasure').length === 1, 'measuring');
    button('Cancel')!.click();
    release();
    await until(() => dialog() === null, 'closed');
    expect(source.called('objectsDelete')).toEqual([]);
  });

  it('a folder rename that stops part way says part may be under the new name', async () => {
    const source = new FakeSource();
    source.objectRename = async () => {
      throw { code: 'cancelled', field: null, detail: null };
    };
    await render(source);
    const g = grid();
    g.focus();
    key(g, 'Home');
    expect(selectedNames()).toEqual(['folder-000']);
    key(g, 'F2');
    await until(() => dialog() !== null, 'the dialog');
    type(dialog()!.querySelector<HTMLInputElement>('input[name="name"]')!, 'Мұрағат');
    await until(() => !button('Rename')!.disabled, 'enabled');
    button('Rename')!.click();
    await until(() => dialog() === null, 'closed');
    expect(toastTexts()).toContain('The folder was not fully renamed. Part of it may already be under “Мұрағат”: check both folders.');
  });

  it('new folder: Cancel while creating closes at once, and the late answer leaves the next dialog alone', async () => {
    const source = new FakeSource();
    let release = () => {};
    source.folderCreate = async (bucket, prefix, name) => {
      source.calls.push(['folderCreate', bucket, prefix, name]);
      await new Promise<void>((r) => (release = r));
      return `${prefix}${name}/`;
    };
    await render(source, 'docs/');
    key(window, 'N', { code: 'KeyN', ctrlKey: true, shiftKey: true });
    await until(() => dialog() !== null, 'the dialog');
    type(dialog()!.querySelector<HTMLInputElement>('input[name="name"]')!, 'A');
    await until(() => !button('Create')!.disabled, 'enabled');
    button('Create')!.click();
    await until(() => source.called('folderCreate').length === 1, 'creating');
    button('Cancel')!.click();
    await until(() => dialog() === null, 'closed at once');

    key(window, 'N', { code: 'KeyN', ctrlKey: true, shiftKey: true });
    await until(() => dialog() !== null, 'the second dialog');
    release();
    await tick(100);
    flushSync();
    expect(dialog()).not.toBeNull();
    // The folder was made where the first dialog was opened.
    expect(source.called('folderCreate')[0][2]).toBe('docs/');
  });

  it('name checks: a stale answer is ignored, and a failed check is cleared by the next', async () => {
    const source = new FakeSource();
    const pending = new Map<string, { resolve: (p: 'slash' | null) => void; reject: (e: unknown) => void }>();
    source.objectNameCheck = (name) =>
      new Promise((resolve, reject) => {
        pending.set(name, { resolve, reject });
      });
    await render(source);
    key(window, 'N', { code: 'KeyN', ctrlKey: true, shiftKey: true });
    await until(() => dialog() !== null, 'the dialog');
    const input = dialog()!.querySelector<HTMLInputElement>('input[name="name"]')!;
    type(input, 'a');
    type(input, 'ab');
    await until(() => pending.has('a') && pending.has('ab'), 'both checks asked');
    // The newer answer comes first; the older one, saying "a" is bad, comes last.
    pending.get('ab')!.resolve(null);
    await until(() => !button('Create')!.disabled, 'enabled');
    pending.get('a')!.resolve('slash');
    await tick();
    flushSync();
    expect(button('Create')!.disabled).toBe(false);
    expect(dialog()!.textContent).not.toContain('cannot contain');

    type(input, 'abc');
    await until(() => pending.has('abc'), 'the third check');
    pending.get('abc')!.reject({ code: 'internal', field: null, detail: null });
    await until(() => dialog()!.querySelector('[role="alert"]') !== null, 'the check error');
    expect(button('Create')!.disabled).toBe(true);
    type(input, 'abcd');
    await until(() => pending.has('abcd'), 'the fourth check');
    pending.get('abcd')!.resolve(null);
    await until(() => dialog()!.querySelector('[role="alert"]') === null, 'the error cleared');
    expect(button('Create')!.disabled).toBe(false);
  });
});
