// The transfer center without a window: the window title it keeps, the desktop
// notifications it sends, and the words a batch is shown with.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorMessage } from '../../lib/errors';
import { applyLanguage } from '../../lib/i18n.svelte';
import { TransferCenter } from './center.svelte';
import { batch, FakeTransferApi, viewOf } from './fake-transfer-api';
import { batchLabel, timeLeftLabel } from './labels';

const NBSP = '\u00a0';
const AT = batch().created.utcMs;
const at = (ms: number) => ({ utcMs: AT + ms, offsetS: 5 * 3600 });
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => applyLanguage('en'));
afterEach(() => applyLanguage('en'));

describe('window title', () => {
  it('shows overall progress while something is active and “Qoima” again when idle', async () => {
    const api = new FakeTransferApi();
    const center = new TransferCenter(api);
    await center.start();
    expect(api.titles).toEqual([]);

    api.emit(viewOf([batch({ id: 1, bytesTotal: 100, bytesDone: 30 }), batch({ id: 2, bytesTotal: 100, bytesDone: 54 })]));
    expect(api.titles).toEqual([`Qoima — 42${NBSP}% · 2 transfers`]);
    // The same title is not set again at every event.
    api.emit(viewOf([batch({ id: 1, bytesTotal: 100, bytesDone: 30 }), batch({ id: 2, bytesTotal: 100, bytesDone: 54 })]));
    expect(api.titles).toHaveLength(1);

    api.emit(viewOf([batch({ id: 1, bytesTotal: 100, bytesDone: 100, state: 'done' }), batch({ id: 2, bytesTotal: 100, bytesDone: 99 })]));
    expect(api.titles.at(-1)).toBe(`Qoima — 99${NBSP}% · 1 transfer`);
    api.emit(viewOf([batch({ id: 1, state: 'done' }), batch({ id: 2, state: 'done' })]));
    expect(api.titles.at(-1)).toBe('Qoima');
    center.stop();
  });

  it('speaks the person’s language', async () => {
    applyLanguage('ru');
    const api = new FakeTransferApi();
    const center = new TransferCenter(api);
    center.apply(viewOf([1, 2, 3, 4, 5].map((id) => batch({ id, bytesTotal: 10, bytesDone: 1 }))));
    expect(api.titles).toEqual([`Qoima — 10${NBSP}% · 5 передач`]);
  });

  it('a view fetched at start gives way to an event that came first', async () => {
    const api = new FakeTransferApi();
    api.view = viewOf([batch({ id: 1, title: 'old view' })]);
    const center = new TransferCenter(api);
    const fetch = api.transfersView.bind(api);
    api.transfersView = async () => {
      const answer = await fetch();
      api.emit(viewOf([batch({ id: 1, title: 'newer event' })]));
      return answer;
    };
    await center.start();
    expect(center.view.batches[0].title).toBe('newer event');
  });
});

describe('notifications', () => {
  it('once, for a batch that took more than 30 seconds, asking for permission once', async () => {
    const api = new FakeTransferApi();
    const center = new TransferCenter(api);
    await center.start();
    api.emit(viewOf([batch({ id: 1, title: 'film.mp4' }), batch({ id: 2, title: 'quick.txt' }), batch({ id: 3, title: 'big.iso', direction: 'download' })]));
    api.emit(
      viewOf([
        batch({ id: 1, title: 'film.mp4', state: 'done', finished: at(31_000) }),
        batch({ id: 2, title: 'quick.txt', state: 'done', finished: at(30_000) }),
        batch({ id: 3, title: 'big.iso', direction: 'download' }),
      ]),
    );
    await settle();
    expect(api.notifications).toEqual([['Upload finished', 'film.mp4']]);

    // Retried and failed again, or the same view again: still once per batch.
    api.emit(viewOf([batch({ id: 1, title: 'film.mp4', state: 'running' }), batch({ id: 3, title: 'big.iso', direction: 'download', items: 2, state: 'failed', finished: at(95_000), stoppedBy: { code: 'quota_exceeded', field: null, detail: null } })]));
    api.emit(viewOf([batch({ id: 1, title: 'film.mp4', state: 'failed', finished: at(200_000) }), batch({ id: 3, title: 'big.iso', direction: 'download', items: 2, state: 'failed', finished: at(95_000) })]));
    await settle();
    expect(api.notifications).toEqual([
      ['Upload finished', 'film.mp4'],
      ['Transfer did not finish', `big.iso and 1 more: ${errorMessage('quota_exceeded')}`],
    ]);
    expect(api.permissionAsks).toBe(1);
  });

  it('none for batches already over when the window opened, nor for cancelled ones, nor without permission', async () => {
    const api = new FakeTransferApi();
    api.view = viewOf([batch({ id: 1, state: 'done', finished: at(60_000) })]);
    const center = new TransferCenter(api);
    await center.start();
    api.emit(viewOf([batch({ id: 1, state: 'done', finished: at(60_000) }), batch({ id: 2 })]));
    api.emit(viewOf([batch({ id: 1, state: 'done', finished: at(60_000) }), batch({ id: 2, state: 'cancelled', finished: at(60_000) })]));
    await settle();
    expect(api.notifications).toEqual([]);
    expect(api.permissionAsks).toBe(0);

    api.permission = false;
    api.emit(viewOf([batch({ id: 3 })]));
    api.emit(viewOf([batch({ id: 3, state: 'done', finished: at(60_000) })]));
    await settle();
    expect(api.permissionAsks).toBe(1);
    expect(api.notifications).toEqual([]);
  });
});

describe('names already taken', () => {
  it('stops with an error, not a loop, when the engine names answered names again', async () => {
    const api = new FakeTransferApi();
    api.outcomes = [
      { kind: 'conflicts', names: ['a.txt'], count: 1 },
      { kind: 'conflicts', names: ['a.txt'], count: 1 },
    ];
    const center = new TransferCenter(api);
    const done = center.upload(['/tmp/a.txt'], 'photos', '');
    await settle();
    center.question!.reply({ all: null, each: { 'a.txt': 'skip' }, overQuota: false });
    expect(await done).toBeNull();
    expect(api.called('transfersUpload')).toHaveLength(2);
    expect(center.question).toBeNull();
  });
});

describe('labels', () => {
  it('names a batch and the time left', () => {
    expect(batchLabel({ title: 'a.txt', items: 1 }, 'en')).toBe('a.txt');
    expect(batchLabel({ title: 'a.txt', items: 1235 }, 'en')).toBe('a.txt and 1,234 more');
    expect(timeLeftLabel(59, 'en')).toBe('Less than a minute left');
    expect(timeLeftLabel(61, 'en')).toBe('About 2 min left');
    expect(timeLeftLabel(3 * 3600 + 5 * 60, 'en')).toBe('About 3 h 5 min left');
    applyLanguage('kk');
    expect(timeLeftLabel(600, 'kk')).toBe('Шамамен 10 мин қалды');
  });
});

describe('window title language', () => {
  it('follows a change of language without waiting for the next event', () => {
    const api = new FakeTransferApi();
    const center = new TransferCenter(api);
    center.apply(viewOf([batch({ id: 1, bytesTotal: 10, bytesDone: 5 })]));
    applyLanguage('kk');
    center.updateTitle();
    expect(api.titles).toEqual([`Qoima — 50${NBSP}% · 1 transfer`, `Qoima — 50${NBSP}% · 1 жүктеу`]);
  });
});
