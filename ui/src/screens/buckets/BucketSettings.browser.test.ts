import { userEvent } from '@vitest/browser/context';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import type { BucketInfo } from '../../lib/bindings/BucketInfo';
import { until } from '../../test/until';
import BucketSettings from './BucketSettings.svelte';
import { button, choose, input, maybeButton, settle, typeInto } from './dom';
import { FakeBucketEngine, bucketInfo } from './test-api';

let host: HTMLDivElement;
let app: ReturnType<typeof mount> | null = null;
let engine: FakeBucketEngine;
let changed: string[];
let deleteAsked: string[];
let closed: number;

async function open(info: BucketInfo) {
  engine.infos.set(info.name, info);
  app = mount(BucketSettings, {
    target: host,
    props: {
      api: engine.api(),
      bucket: info.name,
      onclose: () => closed++,
      ondelete: (b: string) => deleteAsked.push(b),
      onchanged: (b: string) => changed.push(b),
    },
  });
  flushSync();
  await until(() => !!host.querySelector('[data-testid="bucket-class"]'), 'the settings');
}

const confirmDialog = () => host.querySelector('[role="alertdialog"]');
const typeChecked = () => host.querySelector<HTMLInputElement>('input[name="bucketType"]:checked')?.value ?? null;

beforeEach(() => {
  engine = new FakeBucketEngine();
  changed = [];
  deleteAsked = [];
  closed = 0;
  host = document.createElement('div');
  document.body.appendChild(host);
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  host.remove();
});

it('shows the class read-only, with where it comes from', async () => {
  await open(bucketInfo('archive', { class: 'cold', classSource: 'local' }));
  expect(host.querySelector('[data-testid="bucket-class"]')!.textContent).toBe('Cold storage');
  expect(host.querySelector('[data-testid="class-source"]')!.textContent).toContain('Recorded on this computer');
  expect(host.querySelector('input[name="storageClass"]')).toBeNull();
  expect(host.querySelector('[data-testid="bucket-settings"] select')).toBeNull();
  expect(typeChecked()).toBe('private');
});

it('says a class nobody recorded is Standard unless set elsewhere', async () => {
  await open(bucketInfo('old', { classSource: 'default' }));
  expect(host.querySelector('[data-testid="bucket-class"]')!.textContent).toBe('Standard storage');
  expect(host.querySelector('[data-testid="class-source"]')!.textContent).toContain(
    'Standard, unless another class was chosen when the bucket was created elsewhere',
  );
});

const applyButton = () => host.querySelector<HTMLButtonElement>('[data-testid="apply-type"]');
const focusInSettings = () => document.activeElement !== document.body && host.contains(document.activeElement);

it('picking a type only selects it; Change type asks before making a bucket public', async () => {
  await open(bucketInfo('family-photos'));
  expect(host.querySelector('[data-testid="public-address"]')).toBeNull();
  expect(applyButton()).toBeNull();

  choose(host, 'bucketType', 'public-read');
  await settle();
  expect(confirmDialog()).toBeNull();
  expect(engine.named('bucketSetType')).toEqual([]);
  expect(host.querySelector('[data-testid="type-current"]')!.textContent).toContain('Now: Private');
  applyButton()!.focus();
  applyButton()!.click();
  flushSync();
  expect(confirmDialog()!.textContent).toContain('Make “family-photos” public?');
  expect(confirmDialog()!.textContent).toContain('will be able to read and download every object in the bucket “family-photos”');
  button(confirmDialog() as HTMLElement, 'Cancel').click();
  await settle();
  expect(confirmDialog()).toBeNull();
  // Nothing changed; the choice stays picked and focus is back on the button.
  expect(typeChecked()).toBe('public-read');
  expect(engine.named('bucketSetType')).toEqual([]);
  expect(document.activeElement).toBe(applyButton());

  choose(host, 'bucketType', 'public-read-write');
  applyButton()!.click();
  flushSync();
  expect(confirmDialog()!.textContent).toContain('upload new ones, and overwrite or delete the objects already there');
  button(confirmDialog() as HTMLElement, 'Make public').click();
  await until(() => !!host.querySelector('[data-testid="public-address"]'), 'the public address');
  expect(engine.named('bucketSetType')).toEqual([['bucketSetType', 'family-photos', 'public-read-write']]);
  expect(typeChecked()).toBe('public-read-write');
  expect(changed).toEqual(['family-photos']);
  expect(applyButton()).toBeNull();
  await until(() => focusInSettings(), 'focus kept in the settings');
  expect(document.activeElement).toBe(host.querySelector('input[name="bucketType"]:checked'));
  expect(host.querySelector('[data-testid="public-address"]')!.textContent).toBe('https://s3.example.kz/family-photos/<object name>');
  button(host, 'Copy').click();
  await until(() => engine.named('copyText').length === 1, 'copied');
  expect(engine.named('copyText')).toEqual([['copyText', 'https://s3.example.kz/family-photos/']]);

  choose(host, 'bucketType', 'private');
  applyButton()!.click();
  flushSync();
  expect(confirmDialog()).toBeNull();
  await until(() => !host.querySelector('[data-testid="public-address"]'), 'private again');
  expect(engine.named('bucketSetType').at(-1)).toEqual(['bucketSetType', 'family-photos', 'private']);
});

it('arrow keys move between the types without changing the bucket', async () => {
  await open(bucketInfo('keys'));
  host.querySelector<HTMLInputElement>('input[name="bucketType"][value="private"]')!.focus();
  await userEvent.keyboard('{ArrowDown}');
  await settle();
  expect(typeChecked()).toBe('public-read');
  await userEvent.keyboard('{ArrowDown}');
  await settle();
  expect(typeChecked()).toBe('public-read-write');
  expect(confirmDialog()).toBeNull();
  expect(engine.named('bucketSetType')).toEqual([]);
  expect(applyButton()).not.toBeNull();
});

it('closing during a type change stops it, stays open until stopped, then shows the bucket as it is', async () => {
  await open(bucketInfo('half', { type: 'public-read' }));
  let release!: () => void;
  engine.hold = new Promise((r) => (release = r));
  engine.progress = [120];
  choose(host, 'bucketType', 'private');
  applyButton()!.focus();
  applyButton()!.click();
  await until(() => host.textContent!.includes('120'), 'the progress');
  // Busy, but focus stays on the button.
  expect(applyButton()!.getAttribute('aria-disabled')).toBe('true');
  expect(document.activeElement).toBe(applyButton());

  button(host, 'Close').click();
  await userEvent.keyboard('{Escape}');
  expect(engine.named('operationCancel').length).toBe(1);
  expect(closed).toBe(0);
  await until(() => host.textContent!.includes('Stopping the change'), 'stopping');

  // Part of the objects were already changed when it stopped.
  engine.infos.set('half', bucketInfo('half', { type: null }));
  engine.failNext.set('bucketSetType', { code: 'cancelled', field: null, detail: null });
  const infosBefore = engine.named('bucketInfo').length;
  release();
  await until(() => !!host.querySelector('[data-testid="type-stopped"]'), 'the stopped note');
  expect(engine.named('bucketInfo').length).toBe(infosBefore + 1);
  expect(changed).toEqual(['half']);
  expect(typeChecked()).toBeNull();
  expect(host.querySelector('[data-testid="type-unknown"]')).not.toBeNull();
  await until(() => focusInSettings(), 'focus kept in the settings');
  button(host, 'Close').click();
  expect(closed).toBe(1);
});

it('a failed type change shows the error and reads the bucket again', async () => {
  await open(bucketInfo('flaky'));
  engine.failNext.set('bucketSetType', { code: 'network', field: null, detail: 'timeout' });
  // Meanwhile the storage has it as public-read: part of the change went through.
  engine.infos.set('flaky', bucketInfo('flaky', { type: 'public-read' }));
  choose(host, 'bucketType', 'public-read-write');
  applyButton()!.click();
  flushSync();
  button(confirmDialog() as HTMLElement, 'Make public').click();
  await until(() => !!host.querySelector('[role="alert"][data-code]'), 'the error');
  await until(() => typeChecked() === 'public-read', 'the type read again');
  expect(changed).toEqual(['flaky']);
  await until(() => focusInSettings(), 'focus kept in the settings');
});

it('says when the type could not be read and that choosing one sets it', async () => {
  await open(bucketInfo('mystery', { type: null, access: 'unknown' }));
  expect(typeChecked()).toBeNull();
  expect(host.querySelector('[data-testid="type-unknown"]')!.textContent).toContain('could not be read');
  choose(host, 'bucketType', 'private');
  expect(host.querySelector('[data-testid="type-current"]')).toBeNull();
  applyButton()!.click();
  await until(() => engine.named('bucketSetType').length === 1, 'set');
  await until(() => !host.querySelector('[data-testid="type-unknown"]'), 'the note gone');
});

it('warns that a website on a private bucket does not open', async () => {
  await open(bucketInfo('site-private', { website: { indexDocument: 'index.html', errorDocument: null } }));
  expect(host.querySelector('[data-testid="website-private"]')!.textContent).toContain('visitors will get an access error');
  input(host, 'websiteOn').click();
  flushSync();
  expect(host.querySelector('[data-testid="website-private"]')).toBeNull();
  input(host, 'websiteOn').click();
  flushSync();
  expect(host.querySelector('[data-testid="website-private"]')).not.toBeNull();

  unmount(app!);
  app = null;
  host.replaceChildren();
  await open(bucketInfo('site-public', { type: 'public-read', website: { indexDocument: 'index.html', errorDocument: null } }));
  expect(host.querySelector('[data-testid="website-private"]')).toBeNull();
});

it('a refused type change turns the switch into the plain sentence', async () => {
  await open(bucketInfo('demo-bucket', { access: 'unknown' }));
  engine.failNext.set('bucketSetType', { code: 'access_types_unsupported', field: null, detail: 'NotImplemented' });
  choose(host, 'bucketType', 'public-read');
  applyButton()!.focus();
  applyButton()!.click();
  flushSync();
  button(confirmDialog() as HTMLElement, 'Make public').click();
  await until(() => !!host.querySelector('[data-testid="types-unsupported"]'), 'the sentence');
  expect(host.querySelector('input[name="bucketType"]')).toBeNull();
  expect(host.textContent).toContain('This storage keeps all buckets private');
  await until(() => focusInSettings(), 'focus kept in the settings');
});

it('shows the sentence at once on a storage without types', async () => {
  await open(bucketInfo('b1', { access: 'unsupported', type: null }));
  expect(host.querySelector('input[name="bucketType"]')).toBeNull();
  expect(host.querySelector('[data-testid="types-unsupported"]')).not.toBeNull();
});

it('turns website hosting on with index.html and off again', async () => {
  await open(bucketInfo('site'));
  expect(maybeButton(host, 'Save')).toBeUndefined();
  input(host, 'websiteOn').click();
  flushSync();
  expect(input(host, 'indexDocument').value).toBe('index.html');
  typeInto(host, 'errorDocument', '404.html');
  button(host, 'Save').click();
  await until(() => engine.named('bucketSetWebsite').length === 1, 'saved');
  expect(engine.named('bucketSetWebsite')[0]).toEqual(['bucketSetWebsite', 'site', { indexDocument: 'index.html', errorDocument: '404.html' }]);
  await settle();
  expect(maybeButton(host, 'Save')).toBeUndefined();

  input(host, 'websiteOn').click();
  flushSync();
  button(host, 'Save').click();
  await until(() => engine.named('bucketSetWebsite').length === 2, 'turned off');
  expect(engine.named('bucketSetWebsite')[1]).toEqual(['bucketSetWebsite', 'site', null]);
});

it('gives the DNS record for an own domain and where certificates live', async () => {
  await open(bucketInfo('media', { domainTarget: 'media.s3.example.kz', websiteSupported: false }));
  const record = host.querySelector('[data-testid="dns-record"] tbody')!.textContent!;
  expect(record).toContain('CNAME');
  expect(record).toContain('media.s3.example.kz');
  expect(host.textContent).toContain('Certificates (HTTPS) for your own domains are managed in the personal cabinet.');
  expect(host.textContent).toContain('This storage does not host websites in buckets.');
  button(host, 'Delete bucket…').click();
  expect(deleteAsked).toEqual(['media']);
});
