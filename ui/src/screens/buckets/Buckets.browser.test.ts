import { userEvent } from '@vitest/browser/context';
import { flushSync, mount, unmount } from 'svelte';
import type { Api } from '../../lib/api';
import type { BucketEntry } from '../../lib/bindings/BucketEntry';
import type { BucketSummary } from '../../lib/bindings/BucketSummary';
import { afterEach, beforeEach, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import { toasts } from '../../lib/components/toast.svelte';
import { until } from '../../test/until';
import Buckets from '../Buckets.svelte';
import { button, choose, settle, typeInto } from './dom';
import { FakeBucketEngine, bucketInfo } from './test-api';

let host: HTMLDivElement;
let app: ReturnType<typeof mount> | null = null;
let engine: FakeBucketEngine;
let opened: string[];

const row = (name: string) => host.querySelector<HTMLElement>(`[data-bucket="${name}"]`);
const nameCell = (name: string) => row(name)?.querySelector<HTMLElement>('[data-cell="name"]') ?? null;
const gear = (name: string) => row(name)?.querySelector<HTMLButtonElement>('button') ?? null;
const cell = (name: string, what: 'type' | 'class') => row(name)?.querySelector(`[data-testid="bucket-${what}"]`)?.textContent?.trim();

beforeEach(() => {
  engine = new FakeBucketEngine();
  engine.infos.set('archive', bucketInfo('archive', { class: 'cold' }));
  engine.infos.set('site', bucketInfo('site', { type: 'public-read' }));
  engine.infos.set('plain', bucketInfo('plain', { type: null, access: 'unsupported' }));
  opened = [];
  toasts.splice(0);
  host = document.createElement('div');
  document.body.appendChild(host);
  app = mount(Buckets, { target: host, props: { api: engine.api(), onopen: (b: string) => opened.push(b) } });
  flushSync();
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  host.remove();
});

it('shows each bucket’s type and class, read per row', async () => {
  await until(() => cell('plain', 'class') === 'Standard storage', 'the summaries');
  expect(cell('archive', 'type')).toBe('Private');
  expect(cell('archive', 'class')).toBe('Cold storage');
  expect(cell('site', 'type')).toBe('Public read');
  expect(cell('plain', 'type')).toBe('—');
  expect(engine.named('bucketSummary').map((c) => c[1]).sort()).toEqual(['archive', 'plain', 'site']);
  row('site')!.click();
  expect(opened).toEqual(['site']);
});

it('reads the rows again after a refresh, for the rows that stayed on screen too', async () => {
  await until(() => cell('archive', 'class') === 'Cold storage', 'the summaries');
  engine.infos.set('archive', bucketInfo('archive', { class: 'cold', type: 'public-read-write' }));
  button(host, 'Refresh').click();
  await until(() => cell('archive', 'type') === 'Public read and write', 'the new type');
  expect(cell('site', 'type')).toBe('Public read');
  expect(engine.named('bucketSummary').length).toBe(6);
});

it('creates a bucket, then lists it and says so', async () => {
  await until(() => row('archive') !== null, 'the list');
  button(host, 'Create bucket').click();
  flushSync();
  typeInto(host, 'bucketName', 'new-one');
  await settle();
  await until(() => !button(host, 'Create').disabled, 'Create enabled');
  button(host, 'Create').click();
  await until(() => row('new-one') !== null, 'the new row');
  expect(host.querySelector('[data-testid="create-bucket-form"]')).toBeNull();
  expect(toasts.map((t) => t.message)).toContain('Bucket “new-one” created');
  expect(document.activeElement).toBe(nameCell('new-one'));
});

it('with no bucket yet, explains type and class and opens the first bucket once it is made', async () => {
  engine.infos.clear();
  button(host, 'Refresh').click();
  await until(() => host.textContent?.includes('No buckets yet') ?? false, 'the empty list');
  expect(host.textContent).toContain('its type, which decides who can open the files');
  expect(host.textContent).toContain('Cold for archives you rarely read');
  button(host, 'Create your first bucket').click();
  flushSync();
  typeInto(host, 'bucketName', 'first-one');
  await settle();
  await until(() => !button(host, 'Create').disabled, 'Create enabled');
  button(host, 'Create').click();
  await until(() => opened.length > 0, 'the first bucket opened');
  expect(opened).toEqual(['first-one']);
  expect(toasts.map((t) => t.message)).toContain('Bucket “first-one” created');
});

it('opens settings from the row without opening the bucket, and deletes from there', async () => {
  await until(() => row('archive') !== null, 'the list');
  row('archive')!.querySelector<HTMLButtonElement>('button[aria-label="Settings of “archive”"]')!.click();
  await until(() => !!host.querySelector('[data-testid="bucket-settings"] [data-testid="bucket-class"]'), 'the settings');
  expect(opened).toEqual([]);
  button(host, 'Delete bucket…').click();
  await until(() => !!host.querySelector('[data-testid="delete-bucket-confirm"]'), 'the delete confirmation');
  expect(host.querySelector('[data-testid="bucket-settings"]')).toBeNull();
  button(host, 'Delete bucket').click();
  await until(() => row('archive') === null && row('site') !== null, 'the list without it');
  expect(document.activeElement).toBe(nameCell('site'));
  expect(toasts.map((t) => t.message)).toContain('Bucket “archive” deleted');
});

it('is a grid: one Tab stop, arrows reach each bucket’s settings button', async () => {
  await until(() => row('plain') !== null, 'the list');
  const grid = host.querySelector('[role="grid"]')!;
  expect(grid.querySelector('[data-testid="bucket-list"]')!.getAttribute('role')).toBe('rowgroup');
  expect([...grid.querySelectorAll('[role="columnheader"]')].map((h) => h.textContent!.trim())).toEqual([
    'Name',
    'Bucket type',
    'Storage class',
    'Created',
    'Settings',
  ]);
  for (const r of grid.querySelectorAll('[data-bucket]')) {
    expect(r.getAttribute('role')).toBe('row');
    expect([...r.children].every((c) => c.getAttribute('role') === 'gridcell')).toBe(true);
  }
  const tabbable = [...grid.querySelectorAll<HTMLElement>('[tabindex], button')].filter((e) => e.tabIndex >= 0);
  expect(tabbable).toEqual([nameCell('archive')]);

  nameCell('archive')!.focus();
  await userEvent.keyboard('{ArrowDown}');
  expect(document.activeElement).toBe(nameCell('site'));
  await userEvent.keyboard('{ArrowRight}');
  expect(document.activeElement).toBe(gear('site'));
  expect(gear('site')!.getAttribute('aria-label')).toBe('Settings of “site”');
  await userEvent.keyboard('{ArrowDown}');
  expect(document.activeElement).toBe(gear('plain'));
  await userEvent.keyboard('{ArrowUp}');
  expect(document.activeElement).toBe(gear('site'));
  // Tab leaves the grid from wherever focus is in it, and comes back there.
  expect([...grid.querySelectorAll<HTMLElement>('[tabindex], button')].filter((e) => e.tabIndex >= 0)).toEqual([gear('site')]);
  await userEvent.keyboard('{Enter}');
  await until(() => !!host.querySelector('[data-testid="bucket-settings"]'), 'the settings');
  expect(host.textContent).toContain('Bucket “site”');
  expect(opened).toEqual([]);
  button(host, 'Close').click();
  await settle();
  expect(document.activeElement).toBe(gear('site'));
  await userEvent.keyboard('{ArrowLeft}');
  expect(document.activeElement).toBe(nameCell('site'));
  await userEvent.keyboard('{Enter}');
  expect(opened).toEqual(['site']);
});

it('keys on a bucket: Delete asks to delete it, Shift+F10 opens its settings', async () => {
  await until(() => row('site') !== null, 'the list');
  nameCell('site')!.focus();
  await userEvent.keyboard('{Delete}');
  await until(() => host.textContent!.includes('Delete the bucket “site”?'), 'the delete dialog');
  button(host, 'Cancel').click();
  await settle();
  expect(document.activeElement).toBe(nameCell('site'));
  await userEvent.keyboard('{Shift>}{F10}{/Shift}');
  await until(() => !!host.querySelector('[data-testid="bucket-settings"]'), 'the settings');
  expect(host.textContent).toContain('Bucket “site”');
});

/** Answers the chosen calls only when the test says so, in any order. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

it('an older, slower list does not replace a newer one', async () => {
  unmount(app!);
  host.replaceChildren();
  const base = engine.api();
  const lists: ReturnType<typeof deferred<BucketEntry[]>>[] = [];
  const api: Api = {
    ...base,
    bucketsList: () => {
      const d = deferred<BucketEntry[]>();
      lists.push(d);
      return d.promise;
    },
  };
  app = mount(Buckets, { target: host, props: { api, onopen: () => {} } });
  flushSync();
  await until(() => lists.length === 1, 'the first list asked');
  // Creating a bucket lists again while the first list is still on its way.
  button(host, 'Create bucket').click();
  flushSync();
  typeInto(host, 'bucketName', 'new-one');
  await until(() => !button(host, 'Create').disabled, 'Create enabled');
  button(host, 'Create').click();
  await until(() => lists.length === 2, 'the second list asked');
  lists[1].resolve([{ name: 'archive', created: null }, { name: 'new-one', created: null }]);
  await until(() => row('new-one') !== null, 'the new list');
  lists[0].resolve([{ name: 'archive', created: null }]);
  await settle();
  await settle();
  expect(row('new-one')).not.toBeNull();
  expect(button(host, 'Refresh').getAttribute('aria-busy')).toBeNull();
});

it('a bucket read again is not overwritten by an older answer for it', async () => {
  unmount(app!);
  host.replaceChildren();
  const base = engine.api();
  const asked: { name: string; answer: ReturnType<typeof deferred<BucketSummary>> }[] = [];
  const api: Api = {
    ...base,
    bucketSummary: (name) => {
      const answer = deferred<BucketSummary>();
      asked.push({ name, answer });
      return answer.promise;
    },
  };
  const summary = (name: string, type: BucketSummary['type']): BucketSummary => ({ name, created: null, type, class: 'standard' });
  app = mount(Buckets, { target: host, props: { api, onopen: () => {} } });
  flushSync();
  await until(() => asked.length === 3, 'the rows asked');
  for (const a of asked) a.answer.resolve(summary(a.name, 'public-read'));
  await until(() => cell('site', 'type') === 'Public read', 'the first answers');

  // Two type changes in a row: the row is read again after each.
  gear('site')!.click();
  await until(() => !!host.querySelector('[data-testid="apply-type"]') || !!host.querySelector('input[name="bucketType"]'), 'the settings');
  choose(host, 'bucketType', 'private');
  host.querySelector<HTMLButtonElement>('[data-testid="apply-type"]')!.click();
  await until(() => asked.filter((a) => a.name === 'site').length === 2, 'read again');
  choose(host, 'bucketType', 'public-read-write');
  host.querySelector<HTMLButtonElement>('[data-testid="apply-type"]')!.click();
  flushSync();
  button(host.querySelector('[role="alertdialog"]') as HTMLElement, 'Make public').click();
  await until(() => asked.filter((a) => a.name === 'site').length === 3, 'read again');
  const [, older, newer] = asked.filter((a) => a.name === 'site');
  newer.answer.resolve(summary('site', 'public-read-write'));
  await until(() => cell('site', 'type') === 'Public read and write', 'the newest answer');
  older.answer.resolve(summary('site', 'private'));
  await settle();
  await settle();
  expect(cell('site', 'type')).toBe('Public read and write');
});
