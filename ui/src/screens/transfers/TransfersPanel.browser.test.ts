// The transfers panel against a fake queue in real Chromium: what each batch
// state reads and which buttons it offers, and the calls those buttons make.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import { errorMessage } from '../../lib/errors';
import { applyLanguage, i18n } from '../../lib/i18n.svelte';
import { until } from '../../test/until';
import type { Usage } from '../../lib/bindings/Usage';
import { usage as measured } from '../account/fake-account-api';
import { TransferCenter } from './center.svelte';
import { batch, FakeTransferApi, viewOf } from './fake-transfer-api';
import TransfersPanel from './TransfersPanel.svelte';

const NBSP = '\u00a0';
let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;
let hidden = 0;

function render(api: FakeTransferApi, usage: Usage | null = null) {
  const center = new TransferCenter(api);
  center.apply(api.view);
  hidden = 0;
  component = mount(TransfersPanel, {
    target: host,
    props: { center, lang: i18n.lang, usage, id: 'panel', onhide: () => hidden++ },
  });
  flushSync();
  return center;
}

const item = (id: number) => host.querySelector<HTMLElement>(`[data-batch="${id}"]`)!;
// Collapses the markup's spaces and line breaks, keeping the no-break spaces of numbers.
const text = (el: Element | null) => (el?.textContent ?? '').replace(/[ \t\n]+/g, ' ').trim();
const buttons = (el: Element) => [...el.querySelectorAll('button')].map((b) => b.textContent!.trim());
const buttonIn = (el: Element, label: string) => [...el.querySelectorAll('button')].find((b) => b.textContent!.trim() === label)!;
const dialog = () => document.querySelector<HTMLElement>('[role="alertdialog"]');
const dialogButton = (label: string) => [...dialog()!.querySelectorAll('button')].find((b) => b.textContent!.trim() === label)!;

beforeEach(() => {
  applyLanguage('en');
  host = document.createElement('div');
  host.style.cssText = 'width: 800px; height: 600px; display: flex; flex-direction: column;';
  document.body.appendChild(host);
});

afterEach(() => {
  if (component) unmount(component);
  component = null;
  host.remove();
});

describe('transfers panel', () => {
  it('says so when nothing is being transferred', () => {
    render(new FakeTransferApi());
    expect(text(host)).toContain('Nothing is being transferred');
    expect(host.querySelector('[data-batch]')).toBeNull();
    expect(buttonIn(host, 'Clear finished').disabled).toBe(true);
  });

  it('a running upload: name, place, size, speed, time left, and Pause and Cancel', async () => {
    const api = new FakeTransferApi();
    api.view = viewOf([batch({ id: 3 })]);
    render(api);
    const row = item(3);
    expect(text(row.querySelector('.title'))).toBe('report.pdf');
    expect(text(row.querySelector('.route'))).toBe('To: photos / docs');
    expect(row.querySelector('[aria-label="Upload"]')).not.toBeNull();
    expect(text(row.querySelector('[data-testid="batch-state"]'))).toBe('Transferring');
    const bar = row.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(text(bar)).toBe(`20${NBSP}MB of 40${NBSP}MB · 2${NBSP}MB/s · Less than a minute left`);
    expect(buttons(row)).toEqual(['Pause', 'Cancel']);
    expect(buttonIn(row, 'Pause').getAttribute('aria-label')).toBe('Pause: report.pdf');

    buttonIn(row, 'Pause').click();
    await until(() => api.called('transferPause').length === 1, 'pause');
    expect(api.called('transferPause')).toEqual([['transferPause', 3]]);
  });

  it('a paused download of several items: files done, "and N more", Resume', async () => {
    const api = new FakeTransferApi();
    api.view = viewOf([
      batch({ id: 4, direction: 'download', state: 'paused', title: 'Trips', items: 3, filesTotal: 12, filesDone: 5, bytesPerSecond: 0, secondsLeft: null }),
    ]);
    render(api);
    const row = item(4);
    expect(text(row.querySelector('.title'))).toBe('Trips and 2 more');
    expect(text(row.querySelector('.route'))).toBe('From: photos / docs · To: /home/aigerim/Documents');
    expect(row.querySelector('[aria-label="Download"]')).not.toBeNull();
    expect(text(row.querySelector('[data-testid="batch-state"]'))).toBe('Paused');
    expect(text(row)).toContain('Files: 5 of 12');
    // No speed or time left while paused.
    expect(text(row.querySelector('[role="progressbar"]'))).toBe(`20${NBSP}MB of 40${NBSP}MB`);
    expect(buttons(row)).toEqual(['Resume', 'Cancel']);
    buttonIn(row, 'Resume').click();
    await until(() => api.called('transferResume').length === 1, 'resume');
    expect(api.called('transferResume')).toEqual([['transferResume', 4]]);
  });

  it('cancel asks first once bytes have moved, and not for a batch still waiting', async () => {
    const api = new FakeTransferApi();
    api.view = viewOf([batch({ id: 5 }), batch({ id: 6, state: 'queued', bytesDone: 0, title: 'later.zip' })]);
    render(api);

    buttonIn(item(6), 'Cancel').click();
    await until(() => api.called('transferCancel').length === 1, 'cancel of the waiting batch');
    expect(api.called('transferCancel')).toEqual([['transferCancel', 6]]);
    expect(dialog()).toBeNull();
    expect(text(item(6).querySelector('[data-testid="batch-state"]'))).toBe('Waiting');

    buttonIn(item(5), 'Cancel').click();
    flushSync();
    await until(() => dialog() !== null, 'the confirmation');
    expect(text(dialog())).toContain('Cancel this transfer?');
    expect(text(dialog())).toContain('“report.pdf”: the files already uploaded stay in the storage');
    dialogButton('Keep going').click();
    flushSync();
    await until(() => dialog() === null, 'closed');
    expect(api.called('transferCancel')).toHaveLength(1);

    buttonIn(item(5), 'Cancel').click();
    flushSync();
    await until(() => dialog() !== null, 'the confirmation again');
    dialogButton('Cancel transfer').click();
    await until(() => api.called('transferCancel').length === 2, 'cancel');
    expect(api.called('transferCancel')[1]).toEqual(['transferCancel', 5]);
  });

  it('a failed batch shows why it stopped and which files failed, and offers Try again', async () => {
    const api = new FakeTransferApi();
    api.view = viewOf([
      batch({
        id: 8,
        state: 'failed',
        items: 2,
        filesTotal: 20,
        filesDone: 12,
        filesFailed: 8,
        bytesPerSecond: 0,
        secondsLeft: null,
        stoppedBy: { code: 'quota_exceeded', field: null, detail: 'Bucket size quota is reached' },
        failures: [
          { name: 'a/one.jpg', error: { code: 'quota_exceeded', field: null, detail: null } },
          { name: 'two.jpg', error: { code: 'file_changed', field: null, detail: null } },
        ],
      }),
    ]);
    const photos = { name: 'photos', class: 'standard' as const, bytes: 9.9e9, objects: 10, maxBytes: 10e9, maxObjects: null };
    render(api, measured({ buckets: [photos] }));
    const row = item(8);
    expect(text(row.querySelector('[data-testid="batch-state"]'))).toBe('Did not finish');
    const panel = row.querySelector('[role="alert"]')!;
    expect(panel.getAttribute('data-code')).toBe('quota_exceeded');
    expect(text(row.querySelector('[data-testid="quota-numbers"]'))).toBe(
      'By the last measurement (02 Dec 2026, 14:00), “photos” holds 9.9\u00a0GB of its 10\u00a0GB quota.',
    );
    const failures = row.querySelector('[data-testid="failures"]')!;
    expect(text(failures)).toContain('8 files could not be transferred:');
    const lines = [...failures.querySelectorAll('li')].map(text);
    expect(lines).toHaveLength(2);
    expect(lines).toEqual([`a/one.jpg — ${errorMessage('quota_exceeded')}`, `two.jpg — ${errorMessage('file_changed')}`]);
    expect(text(failures)).toContain('…and 6 more');
    expect(buttons(row)).toEqual(['Try again']);
    expect(row.querySelector('[role="progressbar"]')).toBeNull();
    buttonIn(row, 'Try again').click();
    await until(() => api.called('transferRetry').length === 1, 'retry');
    expect(api.called('transferRetry')).toEqual([['transferRetry', 8]]);
  });

  it('done and cancelled batches have no buttons; Clear finished clears them', async () => {
    const api = new FakeTransferApi();
    api.view = viewOf([
      batch({ id: 9, state: 'done', bytesDone: 40_000_000, filesTotal: 4, filesDone: 4, filesSkipped: 1 }),
      batch({ id: 10, state: 'cancelled', title: 'old.zip' }),
    ]);
    render(api);
    expect(text(item(9).querySelector('[data-testid="batch-state"]'))).toBe('Done');
    expect(text(item(9))).toContain(`40${NBSP}MB`);
    expect(text(item(9))).toContain('1 file left as it was');
    expect(buttons(item(9))).toEqual([]);
    expect(text(item(10).querySelector('[data-testid="batch-state"]'))).toBe('Cancelled');
    expect(buttons(item(10))).toEqual([]);

    buttonIn(host, 'Clear finished').click();
    await until(() => api.called('transfersClearFinished').length === 1, 'clear');
  });

  it('a batch whose only file was left as it was says so, without a size of nothing', () => {
    const api = new FakeTransferApi();
    api.view = viewOf([batch({ id: 12, state: 'done', bytesTotal: 0, bytesDone: 0, filesTotal: 1, filesDone: 0, filesSkipped: 1 })]);
    render(api);
    expect(text(item(12))).toContain('1 file left as it was');
    expect(text(item(12))).not.toContain(`0${NBSP}B`);
  });

  it('follows the engine’s events, and Escape hides the panel', async () => {
    const api = new FakeTransferApi();
    const center = render(api);
    await center.start();
    api.emit(viewOf([batch({ id: 11, title: 'new.mov' })]));
    flushSync();
    await until(() => item(11) !== null, 'the new batch');
    expect(text(item(11).querySelector('.title'))).toBe('new.mov');
    api.emit(viewOf([batch({ id: 11, title: 'new.mov', state: 'done', bytesDone: 40_000_000 })]));
    flushSync();
    await until(() => text(item(11).querySelector('[data-testid="batch-state"]')) === 'Done', 'done');

    host.querySelector<HTMLElement>('#panel')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    expect(hidden).toBe(1);
    center.stop();
  });

  it('reads in Russian with Russian plurals and units', () => {
    applyLanguage('ru');
    const api = new FakeTransferApi();
    api.view = viewOf([batch({ id: 12, items: 6, title: 'Отчёт.docx', secondsLeft: 200 })]);
    render(api);
    const row = item(12);
    expect(text(row.querySelector('.title'))).toBe('Отчёт.docx и ещё 5');
    expect(text(row.querySelector('.route'))).toBe('Куда: photos / docs');
    expect(text(row.querySelector('[role="progressbar"]'))).toBe(`20${NBSP}МБ из 40${NBSP}МБ · 2${NBSP}МБ/с · Осталось около 4 мин`);
    expect(buttons(row)).toEqual(['Пауза', 'Отменить']);
  });
});
