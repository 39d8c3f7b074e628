// The Sync screen against a fake engine in real Chromium: what each pair
// reads in each state, the held-deletions question, the add, settings,
// trash and remove dialogs, and the calls their buttons make.
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import { toasts } from '../../lib/components/toast.svelte';
import { errorMessage } from '../../lib/errors';
import { applyLanguage } from '../../lib/i18n.svelte';
import { until } from '../../test/until';
import Sync from '../Sync.svelte';
import { SyncCenter } from './center.svelte';
import { FakeSyncApi, NOW, pairView } from './fake-sync-api';

let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;

async function render(api: FakeSyncApi) {
  const center = new SyncCenter(api);
  await center.start();
  center.now = NOW;
  component = mount(Sync, { target: host, props: { center } });
  flushSync();
  return center;
}

async function settle() {
  flushSync();
  await tick();
  await new Promise((r) => setTimeout(r, 0));
  flushSync();
}

// Collapses the markup's spaces and line breaks, keeping the no-break spaces of numbers.
const text = (el: Element | null) => (el?.textContent ?? '').replace(/[ \t\n]+/g, ' ').trim();
const card = (id: number) => host.querySelector<HTMLElement>(`[data-pair="${id}"]`)!;
const action = (id: number, name: string) => card(id).querySelector<HTMLButtonElement>(`[data-action="${name}"]`)!;
const dialog = () => document.querySelector<HTMLElement>('[role="dialog"], [role="alertdialog"]');
const dialogButton = (label: string) => [...dialog()!.querySelectorAll('button')].find((b) => text(b) === label)!;
const field = <T extends HTMLElement = HTMLInputElement>(name: string) => dialog()!.querySelector<T>(`[name="${name}"]`)!;
function type(input: HTMLInputElement | HTMLTextAreaElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}
const key = (name: string) =>
  document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));

beforeEach(() => {
  applyLanguage('en');
  toasts.splice(0);
  host = document.createElement('div');
  host.style.cssText = 'width: 900px; height: 700px; overflow: auto;';
  document.body.appendChild(host);
});

afterEach(() => {
  if (component) unmount(component);
  component = null;
  host.remove();
  applyLanguage('en');
});

describe('the Sync screen', () => {
  it('with no pair: says in two sentences what sync does, and offers to sync a folder', async () => {
    const api = new FakeSyncApi();
    await render(api);
    expect(text(host.querySelector('h1'))).toBe('Sync');
    expect(text(host)).toContain('No folder is kept in sync yet');
    expect(text(host)).toContain(
      'Choose a folder on this computer and a place in the storage, and Qoima keeps them in step by itself, in the background. New and changed files reach the storage within seconds, even when the window is closed.',
    );
    const buttons = [...host.querySelectorAll('button')].filter((b) => text(b) === 'Sync a folder');
    expect(buttons).toHaveLength(2);
    buttons[1].click();
    await settle();
    expect(dialog()!.getAttribute('aria-labelledby')).not.toBeNull();
    expect(text(dialog()!.querySelector('h2'))).toBe('Sync a folder');
  });

  it('a pair up to date: folder, place, mode, last synced, and its five actions', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 1 })];
    await render(api);
    const pair = card(1);
    expect(text(pair.querySelector('h2'))).toBe('Documents');
    expect(text(pair)).toContain('On this computer: /home/aigerim/Documents');
    expect(text(pair.querySelector('[data-testid="pair-remote"]'))).toBe('In the storage: photos / laptop');
    expect(text(pair.querySelector('[data-testid="pair-state"]'))).toBe('Up to date');
    expect(text(pair.querySelector('[data-testid="pair-mode"]'))).toBe('Backup');
    expect(text(pair.querySelector('[data-testid="pair-last-synced"]'))).toBe('Last synced 5 minutes ago');
    expect(pair.querySelector('[data-testid="pair-polling"]')).toBeNull();
    expect(pair.querySelector('[data-testid="held"]')).toBeNull();
    expect([...pair.querySelectorAll('.actions button')].map(text)).toEqual(['Pause', 'Sync now', 'Settings', 'Trash', 'Remove']);
    expect(action(1, 'pause').getAttribute('aria-label')).toBe('Pause: Documents');

    action(1, 'pause').click();
    await until(() => api.called('syncSetPaused').length === 1, 'pause');
    expect(api.called('syncSetPaused')).toEqual([['syncSetPaused', 1, true]]);
    await settle();
    expect(text(card(1).querySelector('[data-testid="pair-state"]'))).toBe('Paused');
    expect(action(1, 'sync-now').disabled).toBe(true);
    action(1, 'resume').click();
    await until(() => api.called('syncSetPaused').length === 2, 'resume');
    await settle();
    action(1, 'sync-now').click();
    await until(() => api.called('syncNow').length === 1, 'sync now');
    expect(api.called('syncNow')).toEqual([['syncNow', 1]]);
  });

  it('follows the engine: syncing with files left, offline, stopped with the reason, polled', async () => {
    const api = new FakeSyncApi();
    const center = await render(api);
    api.emit([pairView({ id: 1, lastSyncedMs: null }, { activity: 'syncing', pending: 12, polling: true })]);
    center.now = NOW;
    await settle();
    expect(text(card(1).querySelector('[data-testid="pair-state"]'))).toBe('Syncing 12 files');
    expect(text(card(1).querySelector('[data-testid="pair-last-synced"]'))).toBe('Not synced yet');
    expect(text(card(1).querySelector('[data-testid="pair-polling"]'))).toBe(
      'This folder cannot be watched for changes, so Qoima looks at it every 10 seconds.',
    );

    api.emit([pairView({ id: 1 }, { activity: 'offline', error: { code: 'endpoint_unreachable', field: null, detail: 'connection refused' } })]);
    await settle();
    expect(text(card(1).querySelector('[data-testid="pair-state"]'))).toBe('The storage does not answer; trying again');
    expect(card(1).querySelector('[role="alert"]')).toBeNull();

    api.emit([pairView({ id: 1 }, { activity: 'error', error: { code: 'sync_folder_missing', field: null, detail: '/home/aigerim/Documents' } })]);
    await settle();
    expect(text(card(1).querySelector('[data-testid="pair-state"]'))).toBe('Stopped');
    const failed = card(1).querySelector('[role="alert"]')!;
    expect(failed.getAttribute('data-code')).toBe('sync_folder_missing');
    expect(text(failed)).toContain('The folder to keep in sync is not there.');
    expect(text(failed)).toContain('Connect the disk it is on, or choose the folder again.');
  });

  it('held deletions: the question, what carrying on does, and Yes or Pause', async () => {
    const api = new FakeSyncApi();
    api.pairs = [
      pairView({ id: 2, mode: 'mirror' }, { activity: 'waiting', held: [{ side: 'remote', count: 120, of: 200, why: 'too_many' }] }),
      pairView({ id: 3, mode: 'two_way', localDir: '/home/aigerim/Shared' }, { activity: 'waiting', held: [{ side: 'local', count: 7, of: 7, why: 'other_side_empty' }] }),
    ];
    await render(api);
    expect(text(card(2).querySelector('[data-testid="pair-state"]'))).toBe('Waiting for your decision');
    const banner = card(2).querySelector('[data-testid="held"]')!;
    expect(banner.getAttribute('role')).toBe('alert');
    expect(text(banner)).toContain(
      '120 of 200 files are gone from this folder. Syncing would move them to the sync trash in the storage too. Was that you?',
    );
    expect(text(banner)).toContain('If you carry on, the files stay in the sync trash for 30 days and can be put back.');
    expect(text(card(3).querySelector('[data-testid="held"]'))).toContain(
      'The folder in the storage is empty, so nothing was deleted on this computer. Was it emptied on purpose?',
    );
    expect(text(card(3).querySelector('[data-testid="pair-mode"]'))).toBe('Two-way');

    banner.querySelector<HTMLButtonElement>('[data-testid="held-approve"]')!.click();
    await until(() => api.called('syncApproveDeletions').length === 1, 'approve');
    expect(api.called('syncApproveDeletions')).toEqual([['syncApproveDeletions', 2]]);
    card(3).querySelector<HTMLButtonElement>('[data-testid="held-pause"]')!.click();
    await until(() => api.called('syncSetPaused').length === 1, 'pause');
    expect(api.called('syncSetPaused')).toEqual([['syncSetPaused', 3, true]]);
    await settle();
    // A paused pair asks nothing until it runs again.
    expect(card(3).querySelector('[data-testid="held"]')).toBeNull();
  });

  it('uploads held for the quota: the numbers, what waits, and Sync anyway or Pause', async () => {
    const api = new FakeSyncApi();
    const overQuota = {
      kind: 'bytes' as const,
      scope: 'account' as const,
      bucket: null,
      used: 9.5e9,
      adding: 1.2e9,
      limit: 10e9,
      measured: { utcMs: NOW, offsetS: 5 * 3600 },
    };
    api.pairs = [pairView({ id: 5 }, { activity: 'waiting', overQuota })];
    await render(api);
    expect(text(card(5).querySelector('[data-testid="pair-state"]'))).toBe('Waiting for your decision');
    const banner = card(5).querySelector('[data-testid="over-quota"]')!;
    expect(banner.getAttribute('role')).toBe('alert');
    expect(text(banner)).toContain('Syncing would send 1.2\u00a0GB more, but only 500\u00a0MB of your 10\u00a0GB quota is left.');
    expect(text(banner)).toContain('New and changed files wait; deletions and downloads go on. Usage as measured 25 Nov 2026, 14:00.');
    banner.querySelector<HTMLButtonElement>('[data-testid="over-quota-approve"]')!.click();
    await until(() => api.called('syncApproveOverQuota').length === 1, 'approve');
    expect(api.called('syncApproveOverQuota')).toEqual([['syncApproveOverQuota', 5]]);
    expect(api.called('syncApproveDeletions')).toEqual([]);
  });

  it('problems are listed in a collapsible section, each with a plain explanation', async () => {
    const api = new FakeSyncApi();
    api.pairs = [
      pairView({ id: 4 }, {
        problems: [
          { path: 'link-to-home', kind: 'link', error: null },
          { path: 'private/salary.xlsx', kind: 'unreadable', error: { code: 'local_file_unreadable', field: null, detail: null } },
          { path: 'Report.docx', kind: 'case_only', error: null },
          { path: 'plan.xlsx', kind: 'conflict', error: null },
          { path: 'big.iso', kind: 'failed', error: { code: 'quota_exceeded', field: null, detail: null } },
        ],
      }),
    ];
    await render(api);
    const problems = card(4).querySelector<HTMLDetailsElement>('[data-testid="pair-problems"]')!;
    expect(problems.open).toBe(false);
    expect(text(problems.querySelector('summary'))).toBe('5 files need a look');
    problems.querySelector('summary')!.click();
    expect(problems.open).toBe(true);
    const lines = [...problems.querySelectorAll('li')].map(text);
    expect(lines[0]).toBe('link-to-home — A shortcut (symbolic link): Qoima does not follow it, so what it points to is not synced.');
    expect(lines[1]).toBe('private/salary.xlsx — Could not be read (no permission to open it), so it was skipped.');
    expect(lines[3]).toBe('plan.xlsx — Changed here and in the storage at once: both versions are kept, the storage’s one as “plan (conflict …).xlsx”.');
    expect(lines[4]).toBe(`big.iso — Could not be synced this time; Qoima will try again. ${errorMessage('quota_exceeded')}`);
  });

  it('Sync a folder: the native picker, a bucket, a folder in it, Backup by default; the pair is added', async () => {
    const api = new FakeSyncApi();
    await render(api);
    host.querySelector<HTMLButtonElement>('[data-testid="sync-add"]')!.click();
    await settle();
    await until(() => dialog()?.querySelector('select[name="bucket"]') != null, 'the buckets');
    const submit = dialog()!.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    expect(submit.disabled).toBe(true);
    // Focus starts on the folder button.
    expect(document.activeElement).toBe(dialog()!.querySelector('[data-testid="sync-pick-folder"]'));

    const modes = [...dialog()!.querySelectorAll<HTMLInputElement>('input[name="syncMode"]')];
    expect(modes.map((m) => m.value)).toEqual(['backup', 'mirror', 'two_way']);
    expect(modes[0].checked).toBe(true);
    expect(text(dialog())).toContain('New and changed files go to the storage; deleting here deletes nothing there.');
    expect(text(dialog())).toContain('Like a backup, and deletions here are moved to the storage’s sync trash for 30 days.');
    expect(text(dialog())).toContain('Changes on either side reach the other; when both change a file, both versions are kept.');

    dialog()!.querySelector<HTMLButtonElement>('[data-testid="sync-pick-folder"]')!.click();
    await until(() => field('localDir').value === '/home/aigerim/Projects', 'the folder picked');
    expect(api.called('pickFolder')).toEqual([['pickFolder', 'Choose a folder to keep in sync']]);
    expect(field<HTMLSelectElement>('bucket').value).toBe('photos');
    const select = field<HTMLSelectElement>('bucket');
    select.value = 'work-docs';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    type(field('prefix'), 'backups/laptop');
    modes[1].click();
    await settle();
    expect(submit.disabled).toBe(false);
    submit.click();
    await until(() => dialog() === null, 'the dialog closed');
    expect(api.called('syncAdd')).toEqual([
      ['syncAdd', { localDir: '/home/aigerim/Projects', bucket: 'work-docs', prefix: 'backups/laptop/', mode: 'mirror' }],
    ]);
    expect(toasts.map((t) => t.message)).toEqual(['“Projects” is now kept in sync']);
    await settle();
    expect(text(card(7).querySelector('h2'))).toBe('Projects');
  });

  it('Sync a folder: errors stay on the dialog, on the field they concern; Escape closes it', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 1, localDir: '/home/aigerim/Projects', bucket: 'photos', prefix: '' })];
    await render(api);
    host.querySelector<HTMLButtonElement>('[data-testid="sync-add"]')!.click();
    await settle();
    await until(() => dialog()?.querySelector('select[name="bucket"]') != null, 'the buckets');
    dialog()!.querySelector<HTMLButtonElement>('[data-testid="sync-pick-folder"]')!.click();
    await until(() => field('localDir').value !== '', 'the folder picked');
    const submit = dialog()!.querySelector<HTMLButtonElement>('button[type="submit"]')!;

    // The same folder and place twice is refused before asking the engine.
    submit.click();
    await settle();
    expect(text(dialog())).toContain('This folder already syncs with this place.');
    expect(field('localDir').getAttribute('aria-invalid')).toBe('true');
    expect(api.called('syncAdd')).toEqual([]);

    type(field('prefix'), 'elsewhere');
    api.failures.syncAdd = { code: 'sync_folder_missing', field: null, detail: '/home/aigerim/Projects' };
    submit.click();
    await until(() => api.called('syncAdd').length === 1, 'the add');
    await settle();
    expect(text(dialog())).toContain('The folder to keep in sync is not there. Connect the disk it is on, or choose the folder again.');

    api.failures.syncAdd = { code: 'permission_denied', field: null, detail: 'AccessDenied' };
    submit.click();
    await until(() => api.called('syncAdd').length === 2, 'the second add');
    await settle();
    expect(dialog()!.querySelector('[role="alert"][data-code="permission_denied"]')).not.toBeNull();

    key('Escape');
    await settle();
    expect(dialog()).toBeNull();
  });

  it('no buckets yet: the dialog says to create one first', async () => {
    const api = new FakeSyncApi();
    api.buckets = [];
    await render(api);
    host.querySelector<HTMLButtonElement>('[data-testid="sync-add"]')!.click();
    await settle();
    await until(() => dialog()?.querySelector('[data-testid="sync-no-buckets"]') != null, 'the note');
    expect(text(dialog()!.querySelector('[data-testid="sync-no-buckets"]'))).toBe('There are no buckets yet. Create one on the Buckets screen first.');
  });

  it('Settings: mode, ignore patterns with an example, safety stop and trash days; a bad pattern is shown on its field', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 5, mode: 'mirror', ignore: '*.mp4', maxDeleteShare: 0.5, maxDeleteCount: 1000, trashDays: 30 })];
    await render(api);
    action(5, 'settings').click();
    await settle();
    expect(text(dialog()!.querySelector('h2'))).toBe('Sync settings: Documents');
    expect(field<HTMLSelectElement>('syncMode').value).toBe('mirror');
    expect(text(dialog())).toContain('Like a backup, and deletions here are moved to the storage’s sync trash for 30 days.');
    const ignore = field<HTMLTextAreaElement>('ignore');
    expect(ignore.value).toBe('*.mp4');
    expect(text(dialog())).toContain('One pattern a line, for example *.mp4 (every MP4 video) or Drafts/ (the Drafts folder).');
    expect(field('maxDeleteShare').value).toBe('50');
    expect(field('maxDeleteCount').value).toBe('1000');
    expect(field('trashDays').value).toBe('30');

    type(field('maxDeleteShare'), '150');
    type(field('trashDays'), 'x');
    dialogButton('Save').click();
    await settle();
    expect(text(dialog())).toContain('Enter a whole number from 1 to 100.');
    expect(text(dialog())).toContain('Enter a whole number, 1 or more.');
    expect(api.called('syncEdit')).toEqual([]);

    type(field('maxDeleteShare'), '25');
    type(field('trashDays'), '14');
    expect(text(dialog())).toContain('sync trash for 14 days.');
    type(ignore, '*.mp4\n[oops');
    api.failures.syncEdit = { code: 'sync_ignore_rule', field: 'ignore', detail: '[oops' };
    dialogButton('Save').click();
    await until(() => api.called('syncEdit').length === 1, 'the edit');
    await settle();
    expect(ignore.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById(`${ignore.id}-error`)!;
    expect(text(error)).toBe('This line is not an ignore pattern. “[oops” Write one pattern a line, such as *.log or build/.');
    expect(ignore.getAttribute('aria-describedby')).toContain(error.id);

    type(ignore, '*.mp4\nDrafts/');
    expect(ignore.getAttribute('aria-invalid')).toBeNull();
    dialogButton('Save').click();
    await until(() => dialog() === null, 'saved and closed');
    expect(api.called('syncEdit')[1]).toEqual([
      'syncEdit',
      5,
      { mode: 'mirror', ignore: '*.mp4\nDrafts/', maxDeleteShare: 0.25, maxDeleteCount: 1000, trashDays: 14 },
    ]);
    expect(toasts.map((t) => t.message)).toEqual(['Sync settings saved']);
  });

  it('Settings of a backup: no safety stop or trash days, and a line saying why', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 6 })];
    await render(api);
    action(6, 'settings').click();
    await settle();
    expect(dialog()!.querySelector('[name="maxDeleteShare"]')).toBeNull();
    expect(text(dialog()!.querySelector('[data-testid="backup-limits-note"]'))).toBe(
      'A backup never deletes anything in the storage, so it needs no safety stop and no sync trash.',
    );
    const mode = field<HTMLSelectElement>('syncMode');
    mode.value = 'two_way';
    mode.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(text(dialog())).toContain('Changes on either side reach the other; when both change a file, both versions are kept.');
    expect(dialog()!.querySelector('[name="maxDeleteShare"]')).not.toBeNull();
  });

  it('Trash: what the sync moved there, by day and size; Restore puts one back', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 8, mode: 'mirror' })];
    api.trashed = [
      { trashKey: '.qoima-trash/2026-11-25/laptop/2026/trip.jpg', originalKey: 'laptop/2026/trip.jpg', day: '2026-11-25', size: 2_400_000 },
      { trashKey: '.qoima-trash/2026-11-20/laptop/notes.txt', originalKey: 'laptop/notes.txt', day: '2026-11-20', size: 1200 },
    ];
    await render(api);
    action(8, 'trash').click();
    await settle();
    await until(() => dialog()!.querySelectorAll('li').length === 2, 'the trash');
    expect(text(dialog()!.querySelector('h2'))).toBe('Sync trash: Documents');
    expect(text(dialog())).toContain('Files the sync deleted in the storage stay here for 30 days, then they are removed for good.');
    const rows = [...dialog()!.querySelectorAll('li')].map(text);
    expect(rows[0]).toBe('2026/trip.jpg Deleted 25 Nov 2026 · 2.4\u00a0MB Restore');
    expect(rows[1]).toBe('notes.txt Deleted 20 Nov 2026 · 1.2\u00a0KB Restore');

    dialog()!.querySelector<HTMLButtonElement>('button[aria-label="Restore: notes.txt"]')!.click();
    await until(() => dialog()!.querySelectorAll('li').length === 1, 'restored');
    expect(api.called('syncRestore')).toEqual([['syncRestore', 8, '.qoima-trash/2026-11-20/laptop/notes.txt']]);
    expect(toasts.map((t) => t.message)).toEqual(['“notes.txt” is back in the storage']);

    api.trashed = [];
    dialogButton('Close').click();
    await settle();
    action(8, 'trash').click();
    await settle();
    await until(() => dialog()?.querySelector('[data-testid="sync-trash-empty"]') != null, 'the empty trash');
    expect(text(dialog()!.querySelector('[data-testid="sync-trash-empty"]'))).toBe('The sync trash is empty.');
  });

  it('Remove asks first and says plainly that nothing is deleted on either side', async () => {
    const api = new FakeSyncApi();
    api.pairs = [pairView({ id: 9 })];
    await render(api);
    action(9, 'remove').click();
    await settle();
    expect(dialog()!.getAttribute('role')).toBe('alertdialog');
    expect(text(dialog()!.querySelector('h2'))).toBe('Stop syncing this folder?');
    expect(text(dialog()!.querySelector('[data-testid="sync-remove-text"]'))).toBe(
      'Qoima will stop keeping “/home/aigerim/Documents” in step with “photos / laptop”. Nothing is deleted: the files stay in the folder and in the storage.',
    );
    // Cancel has the focus: Enter does no harm.
    expect(text(document.activeElement)).toBe('Cancel');
    key('Escape');
    await settle();
    expect(dialog()).toBeNull();
    expect(api.called('syncRemove')).toEqual([]);

    action(9, 'remove').click();
    await settle();
    dialogButton('Stop syncing').click();
    await until(() => api.called('syncRemove').length === 1, 'remove');
    await settle();
    expect(dialog()).toBeNull();
    expect(card(9)).toBeNull();
    expect(toasts.map((t) => t.message)).toEqual(['“Documents” is no longer synced; nothing was deleted']);
  });

  for (const lang of ['kk', 'ru'] as const) {
    it(`reads in ${lang}, and no button or line is cut off in a narrow window`, async () => {
      applyLanguage(lang);
      host.style.width = '560px';
      const api = new FakeSyncApi();
      api.pairs = [
        pairView({ id: 1, mode: 'mirror' }, { activity: 'waiting', held: [{ side: 'remote', count: 4, of: 5, why: 'too_many' }] }),
        pairView({ id: 2, mode: 'two_way', localDir: '/home/aigerim/Жұмыс' }, { activity: 'syncing', pending: 3 }),
      ];
      await render(api);
      const state = text(card(2).querySelector('[data-testid="pair-state"]'));
      expect(state).toBe(lang === 'kk' ? '3 файл синхрондалуда' : 'Синхронизируются 3 файла');
      for (const el of host.querySelectorAll<HTMLElement>('button, [data-testid="pair-state"], h1, h2, p')) {
        expect(el.scrollWidth, `${lang}: “${text(el)}” fits`).toBeLessThanOrEqual(el.clientWidth + 1);
      }
      host.querySelector<HTMLButtonElement>('[data-testid="sync-add"]')!.click();
      await settle();
      await until(() => dialog()?.querySelector('select[name="bucket"]') != null, 'the buckets');
      for (const el of dialog()!.querySelectorAll<HTMLElement>('button, label, p, h2')) {
        expect(el.scrollWidth, `${lang}: “${text(el)}” fits`).toBeLessThanOrEqual(el.clientWidth + 1);
      }
    });
  }
});
