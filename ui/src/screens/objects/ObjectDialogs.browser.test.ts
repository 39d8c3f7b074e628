// The object browser's dialogs (new folder, rename, delete, properties, share,
// preview, copy and move) and where focus goes, against a fake engine in real Chromium.
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { formatAgo } from '../../lib/format';
import { toasts } from '../../lib/components/toast.svelte';
import { until } from '../../test/until';
import type { ObjectEntry } from '../../lib/bindings/ObjectEntry';
import { entry, FakeSource, render, grid, rowByName, selectedNames, click, key, dialog, button, menuItem, type, tick, toastTexts, useBrowserHost } from './browser-harness';

useBrowserHost();

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
    // How long ago, too, counted from now.
    expect(dialog()!.textContent).toContain(`(${formatAgo(Date.UTC(2026, 10, 24, 9, 5), Date.now(), 'en')})`);
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
