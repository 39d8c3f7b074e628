// The sync store against a fake engine in real Chromium: following the
// engine's events, the counts the sidebar shows, and the calls it makes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toasts } from '../../lib/components/toast.svelte';
import { applyLanguage } from '../../lib/i18n.svelte';
import { folderPrefix, SyncCenter } from './center.svelte';
import { FakeSyncApi, pairView } from './fake-sync-api';

let center: SyncCenter | null = null;

beforeEach(() => {
  applyLanguage('en');
  toasts.splice(0);
});

afterEach(() => {
  center?.stop();
  center = null;
});

describe('sync center', () => {
  it('loads the pairs at start and follows the engine’s events until stopped', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 1 })];
    center = new SyncCenter(api);
    expect(center.loaded).toBe(false);
    await center.start();
    expect(center.loaded).toBe(true);
    expect(center.pairs.map((p) => p.pair.id)).toEqual([1]);
    expect(api.listeners).toBe(1);

    api.emit([pairView({ id: 1 }), pairView({ id: 2, localDir: '/home/aigerim/Photos' })]);
    expect(center.pairs.map((p) => p.pair.id)).toEqual([1, 2]);

    center.stop();
    expect(api.listeners).toBe(0);
    api.emit([]);
    expect(center.pairs).toHaveLength(2);
  });

  it('an event that came while the pairs were being fetched wins over the fetched answer', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 1, bucket: 'old-answer' })];
    const fetch = api.syncPairs.bind(api);
    api.syncPairs = async () => {
      const answer = await fetch();
      api.emit([pairView({ id: 1, bucket: 'newer-event' })]);
      return answer;
    };
    center = new SyncCenter(api);
    await center.start();
    expect(center.pairs[0].pair.bucket).toBe('newer-event');
  });

  it('counts the pairs syncing, their files left, and the pairs that need the person', () => {
    center = new SyncCenter(new FakeSyncApi());
    center.apply([
      pairView({ id: 1 }, { activity: 'syncing', pending: 12 }),
      pairView({ id: 2 }, { activity: 'syncing', pending: 3 }),
      pairView({ id: 3 }, { activity: 'waiting', held: [{ side: 'remote', count: 4, of: 5, why: 'too_many' }] }),
      pairView({ id: 4 }, { activity: 'error', error: { code: 'sync_folder_missing', field: null, detail: null } }),
      pairView({ id: 5 }, { activity: 'offline' }),
      pairView({ id: 6 }, { activity: 'watching' }),
      pairView({ id: 7, paused: true }, { activity: 'paused', pending: 9 }),
    ]);
    expect(center.syncing).toBe(2);
    expect(center.pending).toBe(15);
    expect(center.attention).toBe(3);
  });

  it('adds a pair with its folder in the bucket written as the engine keeps it, and knows a pair already there', async () => {
    const api = new FakeSyncApi();
    center = new SyncCenter(api);
    await center.start();
    const id = await center.add({ localDir: '/home/aigerim/Projects', bucket: 'photos', prefix: ' /backups/laptop/ ', mode: 'mirror' });
    expect(id).toBe(7);
    expect(api.called('syncAdd')).toEqual([
      ['syncAdd', { localDir: '/home/aigerim/Projects', bucket: 'photos', prefix: 'backups/laptop/', mode: 'mirror' }],
    ]);
    // The new pair is shown without waiting for the event.
    expect(center.pairs.map((p) => p.pair.id)).toEqual([7]);
    expect(center.isTaken({ localDir: '/home/aigerim/Projects', bucket: 'photos', prefix: 'backups/laptop', mode: 'backup' })).toBe(true);
    expect(center.isTaken({ localDir: '/home/aigerim/Projects', bucket: 'photos', prefix: '', mode: 'backup' })).toBe(false);
    expect(folderPrefix('  ')).toBe('');
    expect(folderPrefix('a//')).toBe('a/');
  });

  it('passes the engine’s error of an add or an edit to the dialog that asked', async () => {
    const api = new FakeSyncApi();
    center = new SyncCenter(api);
    api.failures.syncAdd = { code: 'sync_folder_missing', field: null, detail: '/gone' };
    await expect(center.add({ localDir: '/gone', bucket: 'photos', prefix: '', mode: 'backup' })).rejects.toMatchObject({ code: 'sync_folder_missing' });
    api.failures.syncEdit = { code: 'sync_ignore_rule', field: 'ignore', detail: '[' };
    await expect(
      center.edit(1, { mode: 'backup', ignore: '[', maxDeleteShare: 0.5, maxDeleteCount: 1000, trashDays: 30 }),
    ).rejects.toMatchObject({ code: 'sync_ignore_rule', field: 'ignore' });
  });

  it('pause, resume, sync now and approve call the engine; a failure is said in a toast', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 3 })];
    center = new SyncCenter(api);
    await center.start();
    expect(await center.pause(3)).toBe(true);
    expect(center.pair(3)!.pair.paused).toBe(true);
    await center.resume(3);
    await center.syncNow(3);
    await center.approve(3);
    expect(api.calls.filter((c) => c[0] !== 'syncPairs')).toEqual([
      ['syncSetPaused', 3, true],
      ['syncSetPaused', 3, false],
      ['syncNow', 3],
      ['syncApproveDeletions', 3],
    ]);

    api.failures.syncNow = { code: 'not_connected', field: null, detail: null };
    expect(await center.syncNow(3)).toBe(false);
    expect(toasts.map((t) => [t.kind, t.message])).toEqual([['error', expect.stringMatching(/^That did not work\. .+/)]]);
  });

  it('titles the folder picker for what it is for, in the person’s language', async () => {
    const api = new FakeSyncApi();
    center = new SyncCenter(api);
    applyLanguage('kk');
    expect(await center.pickFolder()).toBe('/home/aigerim/Projects');
    expect(api.called('pickFolder')).toEqual([['pickFolder', 'Синхрондалатын қалтаны таңдаңыз']]);
  });
});
