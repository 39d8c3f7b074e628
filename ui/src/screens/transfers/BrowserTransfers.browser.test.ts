// Uploads and downloads started from the object browser, against fake
// engines in real Chromium: the pickers, dropped files, the question about
// names already taken, and the listing refreshed when an upload ends.
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { toasts } from '../../lib/components/toast.svelte';
import { until } from '../../test/until';
import { FakeSource, button, click, dialog, grid, key, menuItem, render, rowByName, useBrowserHost } from '../objects/browser-harness';
import { TransferCenter } from './center.svelte';
import { batch, FakeTransferApi, viewOf } from './fake-transfer-api';

useBrowserHost();

const NO_ANSWERS = { all: null, each: {}, overQuota: false };

async function setup(prefix = 'docs/') {
  const source = new FakeSource();
  const api = new FakeTransferApi();
  const center = new TransferCenter(api);
  await center.start();
  await render(source, prefix, 'file-010.txt', center);
  return { source, api, center };
}

const text = (el: Element | null) => (el?.textContent ?? '').replace(/[ \t\n]+/g, ' ').trim();
const hint = () => document.querySelector<HTMLElement>('[data-testid="drop-hint"]');
const zoneRect = () => document.querySelector<HTMLElement>('[data-testid="drop-zone"]')!.getBoundingClientRect();
const choose = (value: string) => {
  dialog()!.querySelector<HTMLInputElement>(`input[name="existing"][value="${value}"]`)!.click();
  flushSync();
};
const applyAll = () => dialog()!.querySelector<HTMLInputElement>('input[name="apply-all"]');

describe('upload', () => {
  it('the Upload menu picks files, or a folder, and uploads into the folder on screen', async () => {
    const { api, center } = await setup();
    button('Upload')!.click();
    flushSync();
    await until(() => menuItem('upload-files') !== null, 'the menu');
    expect(text(menuItem('upload-files'))).toBe('Files…');
    expect(text(menuItem('upload-folder'))).toBe('Folder…');
    menuItem('upload-files')!.click();
    await until(() => api.called('transfersUpload').length === 1, 'upload of the files');
    expect(api.called('pickFiles')).toHaveLength(1);
    expect(api.called('transfersUpload')[0][1]).toEqual({
      paths: ['/home/aigerim/a.txt', '/home/aigerim/b.txt'],
      bucket: 'photos',
      prefix: 'docs/',
      answers: NO_ANSWERS,
    });
    // A new batch opens the panel.
    expect(center.open).toBe(true);

    button('Upload')!.click();
    flushSync();
    await until(() => menuItem('upload-folder') !== null, 'the menu again');
    menuItem('upload-folder')!.click();
    await until(() => api.called('transfersUpload').length === 2, 'upload of the folder');
    expect(api.called('pickFolders')).toHaveLength(1);
    expect((api.called('transfersUpload')[1][1] as { paths: string[] }).paths).toEqual(['/home/aigerim/Trips']);
  });

  it('an empty folder offers its own button to upload files into it', async () => {
    const source = new FakeSource();
    source.objectsPage = async () => ({ entries: [], nextToken: null });
    const api = new FakeTransferApi();
    const center = new TransferCenter(api);
    await center.start();
    await render(source, 'docs/', null, center);
    await until(() => button('Upload files…') !== undefined, 'the empty folder');
    expect(text(document.body)).toContain('Drag files here from your computer, or choose them.');
    button('Upload files…')!.click();
    await until(() => api.called('transfersUpload').length === 1, 'upload of the files');
    expect(api.called('pickFiles')).toHaveLength(1);
    expect(api.called('transfersUpload')[0][1]).toMatchObject({ bucket: 'photos', prefix: 'docs/' });
  });

  it('a closed picker uploads nothing', async () => {
    const { api, center } = await setup();
    api.picked.files = null;
    button('Upload')!.click();
    flushSync();
    await until(() => menuItem('upload-files') !== null, 'the menu');
    menuItem('upload-files')!.click();
    await until(() => api.called('pickFiles').length === 1, 'the picker');
    await new Promise((r) => setTimeout(r, 30));
    expect(api.called('transfersUpload')).toEqual([]);
    expect(center.open).toBe(false);
  });

  it('files dragged over the list are invited in, and dropped ones upload to the folder on screen', async () => {
    const { api } = await setup('docs/');
    await until(() => api.dragListeners === 1, 'listening for drags');
    const rect = zoneRect();
    const inside = { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };

    api.drag({ kind: 'over', x: rect.right + 50, y: inside.y });
    flushSync();
    expect(hint()).toBeNull();
    api.drag({ kind: 'over', ...inside });
    flushSync();
    expect(text(hint())).toBe('Drop to upload to photos / docs');
    api.drag({ kind: 'leave' });
    flushSync();
    expect(hint()).toBeNull();

    // Dropped outside the list: nothing happens.
    api.drag({ kind: 'drop', x: rect.left - 5, y: inside.y, paths: ['/tmp/x.txt'] });
    await new Promise((r) => setTimeout(r, 30));
    expect(api.called('transfersUpload')).toEqual([]);

    api.drag({ kind: 'over', ...inside });
    flushSync();
    expect(hint()).not.toBeNull();
    api.drag({ kind: 'drop', ...inside, paths: ['/home/aigerim/Photos', '/home/aigerim/cv.pdf'] });
    flushSync();
    expect(hint()).toBeNull();
    await until(() => api.called('transfersUpload').length === 1, 'the upload');
    expect(api.called('transfersUpload')[0][1]).toEqual({
      paths: ['/home/aigerim/Photos', '/home/aigerim/cv.pdf'],
      bucket: 'photos',
      prefix: 'docs/',
      answers: NO_ANSWERS,
    });
  });

  it('a drop while a dialog is open is not taken', async () => {
    const { api } = await setup();
    await until(() => api.dragListeners === 1, 'listening for drags');
    key(window, 'N', { code: 'KeyN', ctrlKey: true, shiftKey: true });
    await until(() => dialog() !== null, 'the new folder dialog');
    const rect = zoneRect();
    api.drag({ kind: 'over', x: rect.left + 20, y: rect.top + 20 });
    flushSync();
    expect(hint()).toBeNull();
    api.drag({ kind: 'drop', x: rect.left + 20, y: rect.top + 20, paths: ['/tmp/x.txt'] });
    await new Promise((r) => setTimeout(r, 30));
    expect(api.called('transfersUpload')).toEqual([]);
  });

  it('an upload that ends in the folder on screen refreshes the listing; one elsewhere does not', async () => {
    const { source, api } = await setup('docs/');
    api.emit(viewOf([batch({ id: 1, prefix: 'docs/' }), batch({ id: 2, prefix: 'other/' })]));
    const before = source.pageCalls;
    api.emit(viewOf([batch({ id: 1, prefix: 'docs/' }), batch({ id: 2, prefix: 'other/', state: 'done' })]));
    await new Promise((r) => setTimeout(r, 50));
    expect(source.pageCalls).toBe(before);
    api.emit(viewOf([batch({ id: 1, prefix: 'docs/', state: 'done' }), batch({ id: 2, prefix: 'other/', state: 'done' })]));
    await until(() => source.pageCalls > before, 'the listing read again');
  });

  it('a refused upload says why in plain words', async () => {
    const { api } = await setup();
    api.transfersUpload = async () => Promise.reject({ code: 'permission_denied', field: null, detail: 'AccessDenied' });
    button('Upload')!.click();
    flushSync();
    await until(() => menuItem('upload-files') !== null, 'the menu');
    menuItem('upload-files')!.click();
    await until(() => toasts.some((t) => t.kind === 'error'), 'the error');
    expect(toasts.find((t) => t.kind === 'error')!.message).toMatch(/^The transfer did not start\. /);
  });
});

describe('download', () => {
  it('Ctrl+D asks for a folder and downloads the selection there', async () => {
    const { api, center } = await setup();
    click('folder-001');
    click('file-004.txt', { ctrlKey: true });
    key(grid(), 'в', { code: 'KeyD', ctrlKey: true });
    await until(() => api.called('transfersDownload').length === 1, 'the download');
    expect(api.called('pickFolder')).toHaveLength(1);
    expect(api.called('transfersDownload')[0][1]).toEqual({
      bucket: 'photos',
      keys: ['docs/folder-001/', 'docs/file-004.txt'],
      dir: '/home/aigerim/Downloads',
      answers: NO_ANSWERS,
    });
    expect(center.open).toBe(true);
  });

  it('from the toolbar and the context menu; a closed picker downloads nothing', async () => {
    const { api } = await setup();
    expect(button('Download…')!.disabled).toBe(true);
    click('file-006.txt');
    expect(button('Download…')!.disabled).toBe(false);
    button('Download…')!.click();
    await until(() => api.called('transfersDownload').length === 1, 'toolbar download');
    expect((api.called('transfersDownload')[0][1] as { keys: string[] }).keys).toEqual(['docs/file-006.txt']);

    key(grid(), 'ContextMenu');
    await until(() => menuItem('download') !== null, 'the menu');
    expect(menuItem('download')!.getAttribute('aria-keyshortcuts')).toBe('Ctrl+D');
    api.picked.folder = null;
    menuItem('download')!.click();
    await until(() => api.called('pickFolder').length === 2, 'the picker');
    await new Promise((r) => setTimeout(r, 30));
    expect(api.called('transfersDownload')).toHaveLength(1);
  });

  it('Ctrl+D with nothing selected does nothing', async () => {
    const { api } = await setup();
    key(grid(), 'd', { code: 'KeyD', ctrlKey: true });
    await new Promise((r) => setTimeout(r, 30));
    expect(api.called('pickFolder')).toEqual([]);
  });
});

describe('names already taken', () => {
  it('one answer for all of them is sent back with the same request', async () => {
    const { api, center } = await setup();
    api.outcomes = [{ kind: 'conflicts', names: ['a.txt', 'b.txt', 'c.txt'], count: 3 }];
    click('file-004.txt');
    key(grid(), 'd', { code: 'KeyD', ctrlKey: true });
    await until(() => dialog() !== null, 'the question');
    expect(text(dialog()!.querySelector('h2'))).toBe('3 items already exist in /home/aigerim/Downloads');
    expect(text(dialog()!.querySelector('[data-testid="conflict-name"]'))).toBe('“a.txt” is already there.');
    expect(applyAll()!.checked).toBe(true);
    expect(text(applyAll()!.closest('.checkbox'))).toBe('Apply to all 3');
    expect(center.open).toBe(false);

    choose('replace');
    button('Continue')!.click();
    await until(() => api.called('transfersDownload').length === 2, 'the second request');
    const calls = api.called('transfersDownload').map((c) => c[1] as { answers: unknown; keys: string[] });
    expect(calls[0].answers).toEqual(NO_ANSWERS);
    expect(calls[1].answers).toEqual({ all: 'replace', each: {}, overQuota: false });
    expect(calls[1].keys).toEqual(calls[0].keys);
    await until(() => dialog() === null, 'closed');
    expect(center.open).toBe(true);
  });

  it('one by one: each name gets its own answer, over as many rounds as the engine needs', async () => {
    const { api } = await setup();
    api.outcomes = [
      { kind: 'conflicts', names: ['a.txt', 'b.txt'], count: 3 },
      { kind: 'conflicts', names: ['c.txt'], count: 1 },
    ];
    button('Upload')!.click();
    flushSync();
    await until(() => menuItem('upload-files') !== null, 'the menu');
    menuItem('upload-files')!.click();
    await until(() => dialog() !== null, 'the question');
    expect(text(dialog()!.querySelector('h2'))).toBe('3 items already exist in photos / docs');

    applyAll()!.click();
    flushSync();
    expect(text(dialog()!.querySelector('[data-testid="conflict-name"]'))).toBe('1 of 3 · “a.txt” is already there.');
    choose('replace');
    button('Continue')!.click();
    flushSync();
    expect(text(dialog()!.querySelector('[data-testid="conflict-name"]'))).toBe('2 of 3 · “b.txt” is already there.');
    choose('skip');
    button('Continue')!.click();
    await until(() => api.called('transfersUpload').length === 2, 'the answers for the first names');
    expect((api.called('transfersUpload')[1][1] as { answers: unknown }).answers).toEqual({ all: null, each: { 'a.txt': 'replace', 'b.txt': 'skip' }, overQuota: false });

    await until(() => text(dialog()?.querySelector('[data-testid="conflict-name"]') ?? null) === '“c.txt” is already there.', 'the last name');
    expect(applyAll()).toBeNull();
    choose('keep_both');
    button('Continue')!.click();
    await until(() => api.called('transfersUpload').length === 3, 'the last answer');
    expect((api.called('transfersUpload')[2][1] as { answers: unknown }).answers).toEqual({
      all: 'keep_both',
      each: { 'a.txt': 'replace', 'b.txt': 'skip' },
      overQuota: false,
    });
    await until(() => dialog() === null, 'closed');
  });

  it('Cancel queues nothing', async () => {
    const { api, center } = await setup();
    api.outcomes = [{ kind: 'conflicts', names: ['a.txt'], count: 1 }];
    click('file-004.txt');
    key(grid(), 'd', { code: 'KeyD', ctrlKey: true });
    await until(() => dialog() !== null, 'the question');
    expect(text(dialog()!.querySelector('h2'))).toBe('1 item already exists in /home/aigerim/Downloads');
    button('Cancel')!.click();
    await until(() => dialog() === null, 'closed');
    await new Promise((r) => setTimeout(r, 30));
    expect(api.called('transfersDownload')).toHaveLength(1);
    expect(center.open).toBe(false);
    // The browser is usable again.
    expect(rowByName('file-004.txt')).not.toBeNull();
  });
});

describe('over the quota', () => {
  const shortfall = {
    kind: 'bytes' as const,
    scope: 'account' as const,
    bucket: null,
    used: 9 * 1e9,
    adding: 2 * 1e9,
    limit: 10 * 1e9,
    measured: { utcMs: Date.UTC(2026, 11, 2, 9, 30), offsetS: 5 * 3600 },
  };

  it('says how much is sent and how much is left, and sends only when asked to', async () => {
    const { api, center } = await setup();
    api.outcomes = [{ kind: 'overQuota', shortfall }];
    button('Upload')!.click();
    flushSync();
    await until(() => menuItem('upload-files') !== null, 'the menu');
    menuItem('upload-files')!.click();
    await until(() => dialog() !== null, 'the warning');
    expect(text(dialog()!.querySelector('h2'))).toBe('This will not fit into your quota');
    expect(text(dialog()!.querySelector('[data-testid="quota-warning"]'))).toContain(
      'You are sending 2\u00a0GB, but only 1\u00a0GB of your 10\u00a0GB quota is left.',
    );
    expect(text(dialog())).toContain('Usage as measured 02 Dec 2026, 14:30.');
    expect(center.open).toBe(false);
    button('Send anyway')!.click();
    await until(() => api.called('transfersUpload').length === 2, 'sent again');
    expect((api.called('transfersUpload')[1][1] as { answers: unknown }).answers).toEqual({ ...NO_ANSWERS, overQuota: true });
    await until(() => dialog() === null, 'closed');
    expect(center.open).toBe(true);
  });

  it('Cancel sends nothing', async () => {
    const { api, center } = await setup();
    api.outcomes = [{ kind: 'overQuota', shortfall: { ...shortfall, scope: 'bucket', bucket: 'photos' } }];
    button('Upload')!.click();
    flushSync();
    await until(() => menuItem('upload-files') !== null, 'the menu');
    menuItem('upload-files')!.click();
    await until(() => dialog() !== null, 'the warning');
    expect(text(dialog())).toContain('You are sending 2\u00a0GB to “photos”, but only 1\u00a0GB of its 10\u00a0GB quota is left.');
    button('Cancel')!.click();
    await until(() => dialog() === null, 'closed');
    expect(api.called('transfersUpload')).toHaveLength(1);
    expect(center.open).toBe(false);
  });
});
