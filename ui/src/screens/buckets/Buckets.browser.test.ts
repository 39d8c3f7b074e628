import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import { toasts } from '../../lib/components/toast.svelte';
import { until } from '../../test/until';
import Buckets from '../Buckets.svelte';
import { button, settle, typeInto } from './dom';
import { FakeBucketEngine, bucketInfo } from './test-api';

let host: HTMLDivElement;
let app: ReturnType<typeof mount> | null = null;
let engine: FakeBucketEngine;
let opened: string[];

const row = (name: string) => host.querySelector<HTMLElement>(`[data-bucket="${name}"]`);
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
  expect(document.activeElement).toBe(row('new-one'));
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
  expect(document.activeElement).toBe(row('site'));
  expect(toasts.map((t) => t.message)).toContain('Bucket “archive” deleted');
});

it('keys on a row: Delete asks to delete it, Shift+F10 opens its settings', async () => {
  await until(() => row('site') !== null, 'the list');
  const press = (key: string, shiftKey = false) =>
    row('site')!.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true }));
  row('site')!.focus();
  press('Delete');
  flushSync();
  await until(() => host.textContent!.includes('Delete the bucket “site”?'), 'the delete dialog');
  button(host, 'Cancel').click();
  flushSync();
  row('site')!.focus();
  press('F10', true);
  flushSync();
  await until(() => !!host.querySelector('[data-testid="bucket-settings"]'), 'the settings');
  expect(host.textContent).toContain('Bucket “site”');
});
