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

async function open(info: BucketInfo) {
  engine.infos.set(info.name, info);
  app = mount(BucketSettings, {
    target: host,
    props: {
      api: engine.api(),
      bucket: info.name,
      onclose: () => {},
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

it('asks before making a bucket public, naming it and saying what opens', async () => {
  await open(bucketInfo('family-photos'));
  expect(host.querySelector('[data-testid="public-address"]')).toBeNull();

  choose(host, 'bucketType', 'public-read');
  expect(confirmDialog()!.textContent).toContain('Make “family-photos” public?');
  expect(confirmDialog()!.textContent).toContain('will be able to read and download every object in the bucket “family-photos”');
  button(confirmDialog() as HTMLElement, 'Cancel').click();
  flushSync();
  expect(confirmDialog()).toBeNull();
  expect(typeChecked()).toBe('private');
  expect(engine.named('bucketSetType')).toEqual([]);

  choose(host, 'bucketType', 'public-read-write');
  expect(confirmDialog()!.textContent).toContain('upload new ones, and overwrite or delete the objects already there');
  button(confirmDialog() as HTMLElement, 'Make public').click();
  await until(() => !!host.querySelector('[data-testid="public-address"]'), 'the public address');
  expect(engine.named('bucketSetType')).toEqual([['bucketSetType', 'family-photos', 'public-read-write']]);
  expect(typeChecked()).toBe('public-read-write');
  expect(changed).toEqual(['family-photos']);
  expect(host.querySelector('[data-testid="public-address"]')!.textContent).toBe('https://s3.example.kz/family-photos/<object name>');
  button(host, 'Copy').click();
  await until(() => engine.named('copyText').length === 1, 'copied');
  expect(engine.named('copyText')).toEqual([['copyText', 'https://s3.example.kz/family-photos/']]);

  choose(host, 'bucketType', 'private');
  expect(confirmDialog()).toBeNull();
  await until(() => !host.querySelector('[data-testid="public-address"]'), 'private again');
  expect(engine.named('bucketSetType').at(-1)).toEqual(['bucketSetType', 'family-photos', 'private']);
});

it('a refused type change turns the switch into the plain sentence', async () => {
  await open(bucketInfo('demo-bucket', { access: 'unknown' }));
  engine.failNext.set('bucketSetType', { code: 'access_types_unsupported', field: null, detail: 'NotImplemented' });
  choose(host, 'bucketType', 'public-read');
  button(confirmDialog() as HTMLElement, 'Make public').click();
  await until(() => !!host.querySelector('[data-testid="types-unsupported"]'), 'the sentence');
  expect(host.querySelector('input[name="bucketType"]')).toBeNull();
  expect(host.textContent).toContain('This storage keeps all buckets private');
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
