// Search by name in the object browser, against a fake engine in real Chromium.
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { until } from '../../test/until';
import { entry, FakeSource, host, render, grid, rowByName, click, key, dialog, button, menuItem, type, useBrowserHost } from './browser-harness';

useBrowserHost();

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
