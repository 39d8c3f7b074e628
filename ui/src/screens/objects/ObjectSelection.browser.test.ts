// The object browser's selection, actions menu, toolbar and keys, against a
// fake engine in real Chromium (the grid is virtual and needs layout).
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { until } from '../../test/until';
import { TOTAL, entry, FakeSource, host, navigated, render, grid, rowByName, selectedNames, checkMarks, click, key, dialog, button, menuItem, type, tick, useBrowserHost } from './browser-harness';

useBrowserHost();

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
