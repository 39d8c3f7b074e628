import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import { until } from '../../test/until';
import DeleteBucketDialog from './DeleteBucketDialog.svelte';
import { button, maybeButton, typeInto } from './dom';
import { FakeBucketEngine, bucketInfo } from './test-api';

let host: HTMLDivElement;
let app: ReturnType<typeof mount> | null = null;
let engine: FakeBucketEngine;
let deleted: string[];
let closed: number;

function open(bucket: string) {
  engine.infos.set(bucket, bucketInfo(bucket));
  app = mount(DeleteBucketDialog, {
    target: host,
    props: { api: engine.api(), bucket, onclose: () => closed++, ondeleted: (b: string) => deleted.push(b) },
  });
  flushSync();
}

const deleteButton = () => host.querySelector<HTMLButtonElement>('[data-testid="delete-bucket-confirm"]');

beforeEach(() => {
  engine = new FakeBucketEngine();
  deleted = [];
  closed = 0;
  host = document.createElement('div');
  document.body.appendChild(host);
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  host.remove();
});

it('deletes an empty bucket after a simple confirmation', async () => {
  open('empty-one');
  await until(() => deleteButton() !== null, 'the confirmation');
  expect(host.textContent).toContain('Delete the bucket “empty-one”?');
  expect(host.textContent).toContain('The bucket is empty.');
  expect(host.querySelector('input[name="confirmName"]')).toBeNull();
  deleteButton()!.click();
  await until(() => deleted.length === 1, 'deleted');
  expect(engine.named('bucketDelete')).toEqual([['bucketDelete', 'empty-one', false]]);
});

it('a bucket with objects needs its name typed, then deletes them with progress', async () => {
  engine.sizes.set('photos', { objects: 1234, bytes: 5_200_000 });
  let release!: () => void;
  engine.hold = new Promise((r) => (release = r));
  engine.progress = [500, 1000];
  open('photos');
  await until(() => deleteButton() !== null, 'the confirmation');
  const text = host.querySelector('[data-testid="delete-contents"]')!.textContent!;
  expect(text).toContain('The bucket holds 1,234 objects (5.2\u00a0MB).');
  expect(text).toContain('permanently: it cannot be restored');
  expect(deleteButton()!.disabled).toBe(true);
  expect(document.activeElement).toBe(host.querySelector('input[name="confirmName"]'));

  typeInto(host, 'confirmName', 'Photos');
  expect(deleteButton()!.disabled).toBe(true);
  typeInto(host, 'confirmName', 'photos ');
  expect(deleteButton()!.disabled).toBe(true);
  typeInto(host, 'confirmName', 'photos');
  expect(deleteButton()!.disabled).toBe(false);

  deleteButton()!.click();
  await until(() => host.textContent!.includes('Objects deleted: 1,000 of 1,234'), 'the progress');
  expect(engine.named('bucketDelete')).toEqual([['bucketDelete', 'photos', true]]);
  release();
  await until(() => deleted.length === 1, 'deleted');
});

it('Cancel stops a running deletion and says what is left', async () => {
  engine.sizes.set('big', { objects: 10, bytes: 10 });
  let release!: () => void;
  engine.hold = new Promise((r) => (release = r));
  open('big');
  await until(() => deleteButton() !== null, 'the confirmation');
  typeInto(host, 'confirmName', 'big');
  deleteButton()!.click();
  await until(() => deleteButton()!.getAttribute('aria-busy') === 'true', 'deleting');
  engine.failNext.set('bucketDelete', { code: 'cancelled', field: null, detail: null });
  // Busy, the Delete button keeps focus.
  expect(deleteButton()!.getAttribute('aria-disabled')).toBe('true');
  button(host, 'Cancel').focus();
  button(host, 'Cancel').click();
  expect(engine.named('operationCancel').length).toBe(1);
  release();
  await until(() => host.textContent!.includes('Deleting stopped.'), 'the stopped state');
  // Cancel and Delete gave way to Close: focus is there, not on the page.
  await until(() => document.activeElement === button(host, 'Close'), 'focus on Close');
  expect(deleted).toEqual([]);
  expect(maybeButton(host, 'Delete bucket')).toBeUndefined();
  button(host, 'Close').click();
  expect(closed).toBe(1);
});

it('cancelling the count closes the dialog and stops the count', async () => {
  open('slow');
  button(host, 'Cancel').click();
  expect(engine.named('operationCancel').length).toBe(1);
  expect(closed).toBe(1);
});
