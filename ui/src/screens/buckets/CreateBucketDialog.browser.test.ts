import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import { until } from '../../test/until';
import CreateBucketDialog from './CreateBucketDialog.svelte';
import { button, choose, input, settle, typeInto } from './dom';
import { FakeBucketEngine } from './test-api';

let host: HTMLDivElement;
let app: ReturnType<typeof mount> | null = null;
let engine: FakeBucketEngine;
let created: string[];
let listChanges: number;
let closed: number;

function open() {
  app = mount(CreateBucketDialog, {
    target: host,
    props: {
      api: engine.api(),
      onclose: () => closed++,
      oncreated: (name: string) => created.push(name),
      onlistchanged: () => listChanges++,
    },
  });
  flushSync();
}

const nameError = () => host.querySelector('.field .error')?.textContent ?? null;
const createButton = () => button(host, 'Create');

async function name(value: string) {
  typeInto(host, 'bucketName', value);
  await settle();
}

beforeEach(() => {
  engine = new FakeBucketEngine();
  created = [];
  listChanges = 0;
  closed = 0;
  host = document.createElement('div');
  document.body.appendChild(host);
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  host.remove();
});

it('keeps Create disabled for a bad name, says which rule it breaks, and sends nothing', async () => {
  open();
  await until(() => !!host.querySelector('input[name="bucketType"]'), 'the type choice');
  expect(createButton().disabled).toBe(true);
  expect(host.textContent).toContain('3 to 63 characters: lowercase Latin letters, digits, dots and hyphens');

  await name('My-Photos');
  await until(() => nameError() !== null, 'the uppercase rule');
  expect(nameError()).toBe('Use lowercase letters only: capital letters are not allowed.');
  expect(input(host, 'bucketName').getAttribute('aria-invalid')).toBe('true');
  expect(createButton().disabled).toBe(true);

  await name('ab');
  await until(() => nameError() === 'Too short: the name needs at least 3 characters.', 'the length rule');

  await name('my_photos');
  await until(() => nameError()?.startsWith('Use only Latin letters a–z') ?? false, 'the character rule');

  await name('-photos');
  await until(() => nameError() === 'The name must start and end with a letter or a digit.', 'the edge rule');

  host.querySelector<HTMLFormElement>('form')!.requestSubmit();
  flushSync();
  expect(engine.named('bucketCreate')).toEqual([]);

  await name('my-photos');
  await until(() => !createButton().disabled, 'Create enabled for a good name');
  expect(nameError()).toBeNull();
  createButton().click();
  await until(() => created.length === 1, 'created');
  expect(engine.named('bucketCreate')).toEqual([['bucketCreate', { name: 'my-photos', type: 'private', class: 'standard' }]]);
  expect(created).toEqual(['my-photos']);
});

it('offers public read-write only behind an acknowledged warning', async () => {
  open();
  await until(() => !!host.querySelector('input[name="bucketType"]'), 'the type choice');
  expect(input(host, 'bucketType').checked).toBe(true);
  expect(host.textContent).toContain('Only you, with your keys, can see and change the objects.');
  expect(host.textContent).toContain('the list of objects stays private');
  await name('shared-drop');
  await until(() => !createButton().disabled, 'Create enabled');

  choose(host, 'bucketType', 'public-read-write');
  const warning = host.querySelector('[data-testid="rw-warning"]')!;
  expect(warning.textContent).toContain('could then upload files into this bucket and overwrite or delete your data');
  expect(createButton().disabled).toBe(true);

  input(host, 'rwAcknowledged').click();
  flushSync();
  expect(createButton().disabled).toBe(false);

  choose(host, 'bucketType', 'public-read');
  expect(host.querySelector('[data-testid="rw-warning"]')).toBeNull();
  choose(host, 'bucketType', 'public-read-write');
  expect(input(host, 'rwAcknowledged').checked).toBe(false);
  expect(createButton().disabled).toBe(true);
  input(host, 'rwAcknowledged').click();
  flushSync();

  choose(host, 'storageClass', 'cold');
  createButton().click();
  await until(() => created.length === 1, 'created');
  expect(engine.named('bucketCreate')).toEqual([['bucketCreate', { name: 'shared-drop', type: 'public-read-write', class: 'cold' }]]);
});

it('says the class is fixed, and hides the types on a storage without them', async () => {
  engine.access = 'unsupported';
  open();
  await until(() => !!host.querySelector('[data-testid="types-unsupported"]'), 'the sentence');
  expect(host.querySelector('input[name="bucketType"]')).toBeNull();
  expect(host.textContent).toContain('This storage keeps all buckets private');
  expect(host.textContent).toContain('it cannot be changed after the bucket is created');
  expect(host.textContent).toContain('For data that is read rarely; it can still be read at once');
  await name('archive-2026');
  await until(() => !createButton().disabled, 'Create enabled');
  createButton().click();
  await until(() => created.length === 1, 'created');
  expect(engine.named('bucketCreate')[0][1]).toEqual({ name: 'archive-2026', type: 'private', class: 'standard' });
});

it('shows a taken name next to the name field and other failures with the next step', async () => {
  open();
  await name('photos');
  await until(() => !createButton().disabled, 'Create enabled');
  engine.failNext.set('bucketCreate', { code: 'bucket_name_taken', field: 'name', detail: 'BucketAlreadyExists' });
  createButton().click();
  await until(() => nameError() !== null, 'the field error');
  expect(nameError()).toBe(
    'This bucket name is already taken by another customer. Bucket names are shared by everyone on the storage: choose another name.',
  );
  expect(created).toEqual([]);

  await name('photos-1');
  await until(() => nameError() === null && !createButton().disabled, 'the field error cleared');
  // The engine names a rule the quick check here did not know about.
  engine.failNext.set('bucketCreate', { code: 'invalid_input', field: 'name', detail: 'reserved_suffix' });
  createButton().click();
  await until(() => nameError() !== null, 'the rule explained');
  expect(nameError()).toContain('Names ending with -s3alias');

  await name('photos-2');
  await until(() => nameError() === null && !createButton().disabled, 'the field error cleared');
  engine.failNext.set('bucketCreate', { code: 'quota_exceeded', field: null, detail: 'TooManyBuckets' });
  createButton().click();
  await until(() => !!host.querySelector('[role="alert"][data-code="quota_exceeded"]'), 'the quota error');
  const alert = host.querySelector('[role="alert"][data-code="quota_exceeded"]')!;
  expect(alert.textContent).toContain('Your storage quota is used up.');
  expect(alert.textContent).toContain('ask support to raise your quota');
});

it('when the storage refuses the type after making the bucket, says it stays private', async () => {
  open();
  await name('site-files');
  choose(host, 'bucketType', 'public-read');
  await until(() => !createButton().disabled, 'Create enabled');
  engine.failNext.set('bucketCreate', { code: 'access_types_unsupported', field: null, detail: 'NotImplemented' });
  // Enter in the name field sends the form; that field is then locked.
  input(host, 'bucketName').focus();
  host.querySelector<HTMLFormElement>('form')!.requestSubmit();
  await until(() => !!host.querySelector('[data-testid="types-unsupported"]'), 'the sentence');
  await until(() => document.activeElement === button(host, 'Close'), 'focus on Close');
  expect(host.textContent).toContain('The bucket “site-files” was created; it stays private.');
  expect(host.querySelector('[role="alert"]')!.textContent).toContain('This storage does not support bucket types');
  expect(listChanges).toBe(1);
  button(host, 'Close').click();
  expect(closed).toBe(1);
});
