import { flushSync, mount, unmount } from 'svelte';
import { afterEach, expect, it } from 'vitest';
import '../design/tokens.css';
import { applyLanguage } from '../i18n.svelte';
import SkeletonRows from './SkeletonRows.svelte';

let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (component) unmount(component);
  component = null;
  host.remove();
  applyLanguage('en');
});

function show(rows: number) {
  host = document.createElement('div');
  host.style.width = '600px';
  document.body.appendChild(host);
  component = mount(SkeletonRows, { target: host, props: { rows } });
  flushSync();
  return host.querySelector<HTMLElement>('[role="status"]')!;
}

it('holds the list’s place with rows of its height and says it is loading, once', () => {
  applyLanguage('kk');
  const status = show(4);
  expect(status.textContent?.trim()).toBe('Жүктелуде…');
  const lines = [...status.querySelectorAll<HTMLElement>('.line')];
  expect(lines).toHaveLength(4);
  expect(lines.every((line) => line.getAttribute('aria-hidden') === 'true')).toBe(true);
  const rowHeight = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--row-height'));
  expect(lines[0].getBoundingClientRect().height).toBe(rowHeight);
});
