import { page } from '@vitest/browser/context';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, expect, it } from 'vitest';
import '../design/tokens.css';
import ToasterHarness from '../../test/ToasterHarness.svelte';
import { showToast, toasts } from './toast.svelte';

let host: HTMLDivElement;
let app: ReturnType<typeof mount> | null = null;
// Later test files share the page: its size is put back.
const initial = [window.innerWidth, window.innerHeight] as const;

afterEach(async () => {
  await page.viewport(...initial);
  if (app) unmount(app);
  app = null;
  host.remove();
  toasts.splice(0);
});

const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

for (const [width, height] of [
  [800, 600],
  [1280, 800],
]) {
  for (const lines of [1, 40]) {
    it(`toasts show above a dialog but off its buttons (${width}×${height}, ${lines} lines)`, async () => {
      await page.viewport(width, height);
      host = document.createElement('div');
      document.body.appendChild(host);
      app = mount(ToasterHarness, { target: host, props: { lines } });
      for (let i = 0; i < 5; i++) showToast(`Copied to the clipboard, number ${i + 1} of several`, 'success');
      flushSync();

      const region = host.querySelector('.toaster')!;
      expect(region.getAttribute('role')).toBe('status');
      expect(region.getAttribute('aria-live')).toBe('polite');
      const shown = [...host.querySelectorAll<HTMLElement>('.toast')];
      expect(shown.length).toBe(5);
      const buttons = [...host.querySelectorAll<HTMLElement>('[role="dialog"] .actions button')];
      expect(buttons.length).toBe(2);
      const newest = shown[0].getBoundingClientRect();
      // Not dimmed: the newest toast is on top of the backdrop at its own centre.
      const top = document.elementFromPoint(newest.left + newest.width / 2, newest.top + newest.height / 2);
      expect(shown[0].contains(top)).toBe(true);
      // What shows of each toast: the region cuts off the oldest when many pile up.
      const clip = region.getBoundingClientRect();
      for (const toast of shown) {
        const r = toast.getBoundingClientRect();
        const seen = new DOMRect(r.left, r.top, r.width, Math.max(0, Math.min(r.bottom, clip.bottom) - r.top));
        for (const b of buttons) expect(overlaps(seen, b.getBoundingClientRect())).toBe(false);
      }
      for (const b of buttons) {
        const r = b.getBoundingClientRect();
        expect(b.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2))).toBe(true);
      }
    });
  }
}

it('without a dialog, toasts stay at the bottom right, off the screen’s title row', async () => {
  await page.viewport(800, 600);
  host = document.createElement('div');
  document.body.appendChild(host);
  app = mount(ToasterHarness, { target: host, props: { lines: 1, dialog: false } });
  showToast('Bucket “photos” created', 'success');
  flushSync();
  const r = host.querySelector('.toast')!.getBoundingClientRect();
  expect(r.top).toBeGreaterThan(300);
  expect(600 - r.bottom).toBeLessThan(40);
});
