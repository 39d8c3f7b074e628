import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, expect, it } from 'vitest';
import DialogHarness from '../../test/DialogHarness.svelte';

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
