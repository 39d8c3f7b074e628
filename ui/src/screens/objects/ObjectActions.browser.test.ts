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
  async objectsPage(_bucket: string, prefix: string) {
    this.pageCalls++;
    return { entries: Array.from({ length: TOTAL }, (_, i) => entry(i, prefix)), nextToken: null };
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
    expect(document.querySelector('[data-testid="storage-class"]')!.textContent).toBe('Cold');
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
    expect(fetchMock).toHaveBeenCalledWith('/__preview/photos/file-002.txt');
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

  it('a new search cancels the one still running', async () => {
    const source = new FakeSource();
    let release = () => {};
    source.objectsSearch = async (bucket, prefix, query, opId) => {
      source.calls.push(['objectsSearch', bucket, prefix, query, opId]);
      if (query === 'slow') await new Promise<void>((r) => (release = r));
      return { entries: [entry(3)], truncated: false, scanned: 40 };
    };
    await render(source);
    const input = host.querySelector<HTMLInputElement>('input[type="search"]')!;
    type(input, 'slow');
    await until(() => source.called('objectsSearch').length === 1, 'the first search');
    type(input, 'fast');
    const slowOp = source.called('objectsSearch')[0][4];
    expect(source.cancelledOps).toContain(slowOp);
    await until(() => source.called('objectsSearch').length === 2, 'the second search');
    release();
    await until(() => host.querySelector('[data-testid="search-status"]')?.textContent?.includes('Found: 1') ?? false, 'results');
  });
});
