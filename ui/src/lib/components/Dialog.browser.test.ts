import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, expect, it } from 'vitest';
import { userEvent } from '@vitest/browser/context';
import DialogHarness from '../../test/DialogHarness.svelte';
import NestedDialogHarness from '../../test/NestedDialogHarness.svelte';

let host: HTMLDivElement;
let app: ReturnType<typeof mount>;

afterEach(() => {
  unmount(app);
  host.remove();
});

async function settle() {
  flushSync();
  await tick();
  await new Promise((r) => setTimeout(r, 0));
}

const tab = (shift = false) =>
  document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: shift, bubbles: true, cancelable: true }));

it('traps focus, closes on Escape and returns focus to the opener', async () => {
  host = document.createElement('div');
  document.body.appendChild(host);
  app = mount(DialogHarness, { target: host });
  const opener = host.querySelector<HTMLButtonElement>('#opener')!;
  opener.focus();
  opener.click();
  await settle();

  const dialog = host.querySelector('[role="dialog"]')!;
  expect(dialog.getAttribute('aria-modal')).toBe('true');
  expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Remove this account?');
  expect(document.activeElement?.id).toBe('first');

  document.getElementById('last')!.focus();
  tab();
  expect(document.activeElement?.id).toBe('first');
  tab(true);
  expect(document.activeElement?.id).toBe('last');

  document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
  await settle();
  expect(host.querySelector('[role="dialog"]')).toBeNull();
  expect(host.querySelector('#closed')!.textContent).toBe('1');
  expect(document.activeElement).toBe(opener);
});

it('a busy button keeps focus and ignores clicks; Escape and Tab work with focus on the page', async () => {
  host = document.createElement('div');
  document.body.appendChild(host);
  app = mount(NestedDialogHarness, { target: host });
  host.querySelector<HTMLButtonElement>('#opener')!.click();
  await settle();

  const busy = host.querySelector<HTMLButtonElement>('#busy')!;
  busy.focus();
  busy.click();
  await settle();
  expect(busy.getAttribute('aria-busy')).toBe('true');
  expect(busy.getAttribute('aria-disabled')).toBe('true');
  expect(busy.disabled).toBe(false);
  expect(document.activeElement).toBe(busy);
  busy.click();
  await settle();
  expect(host.querySelector('#clicks')!.textContent).toBe('1');

  // The focused control disappears: focus falls to the page.
  const vanish = host.querySelector<HTMLButtonElement>('#remove')!;
  vanish.focus();
  vanish.click();
  await settle();
  expect(document.activeElement).toBe(document.body);
  await userEvent.keyboard('{Tab}');
  expect(host.querySelector('[role="dialog"]')!.contains(document.activeElement)).toBe(true);
  document.body.focus();
  (document.activeElement as HTMLElement).blur();
  expect(document.activeElement).toBe(document.body);
  await userEvent.keyboard('{Shift>}{Tab}{/Shift}');
  expect(host.querySelector('[role="dialog"]')!.contains(document.activeElement)).toBe(true);

  // Only the newest dialog answers Escape.
  host.querySelector<HTMLButtonElement>('#inner-opener')!.click();
  await settle();
  expect(host.querySelector('#state')!.textContent).toBe('outer inner');
  (document.activeElement as HTMLElement).blur();
  await userEvent.keyboard('{Escape}');
  await settle();
  expect(host.querySelector('#state')!.textContent).toBe('outer');
  (document.activeElement as HTMLElement).blur();
  await userEvent.keyboard('{Escape}');
  await settle();
  expect(host.querySelector('#state')!.textContent).toBe('');
});
