// The tray's words without a window: the summary in three languages, and
// when the words go to the shell.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackgroundApi } from './api';
import { backgroundStatus, backgroundTexts, BackgroundWords, IDLE } from './background';
import { applyLanguage } from './i18n.svelte';
import type { BackgroundSummary } from './shell-bindings/BackgroundSummary';
import type { BackgroundTexts } from './shell-bindings/BackgroundTexts';

const NBSP = '\u00a0';
const settle = () => new Promise((r) => setTimeout(r, 0));

class FakeBackgroundApi implements BackgroundApi {
  summary: BackgroundSummary = IDLE;
  sent: BackgroundTexts[] = [];
  listeners = new Set<(summary: BackgroundSummary) => void>();
  failNext = false;

  async backgroundSummary() {
    return this.summary;
  }
  async backgroundListen(onSummary: (summary: BackgroundSummary) => void) {
    this.listeners.add(onSummary);
    return () => this.listeners.delete(onSummary);
  }
  async backgroundTextsSet(texts: BackgroundTexts) {
    if (this.failNext) {
      this.failNext = false;
      throw { code: 'internal', field: null, detail: 'no tray' };
    }
    this.sent.push(texts);
  }
  emit(summary: BackgroundSummary) {
    this.summary = summary;
    for (const listener of this.listeners) listener(summary);
  }
}

beforeEach(() => applyLanguage('en'));
afterEach(() => applyLanguage('en'));

describe('the summary in words', () => {
  it('says what is under way, with the share done', () => {
    expect(backgroundStatus(IDLE)).toBe('Qoima — everything is up to date');
    expect(backgroundStatus({ ...IDLE, transfers: 1, paused: 0, percent: 7 })).toBe(`Qoima — 1 transfer, 7${NBSP}%`);
    expect(backgroundStatus({ ...IDLE, transfers: 2, paused: 1, percent: 42 })).toBe(`Qoima — 2 transfers, 42${NBSP}%`);
    expect(backgroundStatus({ ...IDLE, transfers: 0, paused: 3, percent: 0 })).toBe('Qoima — 3 transfers paused');
  });

  it('speaks Russian with its three plural forms', () => {
    applyLanguage('ru');
    expect(backgroundStatus(IDLE)).toBe('Qoima — всё актуально');
    expect(backgroundStatus({ ...IDLE, transfers: 1, paused: 0, percent: 5 })).toBe(`Qoima — 1 передача, 5${NBSP}%`);
    expect(backgroundStatus({ ...IDLE, transfers: 3, paused: 0, percent: 50 })).toBe(`Qoima — 3 передачи, 50${NBSP}%`);
    expect(backgroundStatus({ ...IDLE, transfers: 5, paused: 0, percent: 99 })).toBe(`Qoima — 5 передач, 99${NBSP}%`);
    expect(backgroundStatus({ ...IDLE, transfers: 0, paused: 2, percent: 0 })).toBe('Qoima — 2 передачи на паузе');
  });

  it('speaks Kazakh, with thousands grouped', () => {
    applyLanguage('kk');
    expect(backgroundStatus(IDLE)).toBe('Qoima — бәрі жаңартылған');
    expect(backgroundStatus({ ...IDLE, transfers: 1200, paused: 0, percent: 100 })).toBe(`Qoima — 1${NBSP}200 жүктеу, 100${NBSP}%`);
    expect(backgroundTexts(IDLE)).toMatchObject({ open: 'Qoima-ны ашу', pauseAll: 'Барлығын кідірту', quit: 'Шығу' });
  });
});

describe('folders kept in sync, in words', () => {
  const folders = (more: Partial<BackgroundSummary>): BackgroundSummary => ({ ...IDLE, ...more });

  it('says first what waits for the person, then what runs by itself', () => {
    expect(backgroundStatus(folders({ folders: 2 }))).toBe('Qoima — 2 folders kept in sync, up to date');
    expect(backgroundStatus(folders({ folders: 1, folderFiles: 12 }))).toBe('Qoima — syncing 12 files');
    expect(backgroundStatus(folders({ folders: 3, folderFiles: 12, foldersOffline: 1 }))).toBe(
      'Qoima — the storage does not answer; sync waits and tries again',
    );
    expect(backgroundStatus(folders({ folders: 3, foldersOffline: 1, foldersNeedYou: 1 }))).toBe(
      'Qoima — 1 synced folder needs you',
    );
    expect(backgroundStatus(folders({ transfers: 1, percent: 5, folders: 3, foldersNeedYou: 1 }))).toBe(
      `Qoima — 1 transfer, 5${NBSP}%`,
    );
    expect(backgroundStatus(folders({ foldersPaused: 2 }))).toBe('Qoima — sync of 2 folders paused');
    expect(backgroundStatus(folders({ paused: 1, foldersPaused: 2 }))).toBe('Qoima — 1 transfer paused');
  });

  it('speaks Russian and Kazakh', () => {
    applyLanguage('ru');
    expect(backgroundStatus(folders({ folders: 1 }))).toBe('Qoima — 1 папка синхронизирована, всё актуально');
    expect(backgroundStatus(folders({ folders: 5, folderFiles: 3 }))).toBe('Qoima — синхронизируются 3 файла');
    expect(backgroundStatus(folders({ folders: 5, foldersNeedYou: 5 }))).toBe('Qoima — 5 синхронизируемых папок ждут вас');
    applyLanguage('kk');
    expect(backgroundStatus(folders({ folders: 2 }))).toBe('Qoima — 2 қалта синхрондалған, бәрі жаңартылған');
    expect(backgroundStatus(folders({ foldersPaused: 1 }))).toBe('Qoima — 1 қалтаның синхрондауы кідіртілді');
  });

  it('tells that syncing goes on when the window closes with only folders at work', () => {
    expect(backgroundTexts(folders({ folders: 1 })).stillWorkingInTray).toMatch(/^Your folders stay in sync/);
    expect(backgroundTexts(folders({ folders: 1 })).stillWorkingMinimized).toMatch(/^Your folders stay in sync/);
    expect(backgroundTexts(folders({ transfers: 1, folders: 1 })).stillWorkingInTray).toMatch(/^Transfers go on/);
    applyLanguage('ru');
    expect(backgroundTexts(folders({ folders: 1 })).stillWorkingMinimized).toContain('Папки синхронизируются в фоне');
  });
});

describe('the words sent to the shell', () => {
  it('go once the window starts them, again when the summary or the language changes, never twice the same', async () => {
    const api = new FakeBackgroundApi();
    api.summary = { ...IDLE, transfers: 1, paused: 0, percent: 10 };
    const words = new BackgroundWords(api);
    words.update();
    expect(api.sent, 'nothing before the window knows its language').toEqual([]);

    await words.start();
    expect(api.sent.map((t) => t.status)).toEqual([`Qoima — 1 transfer, 10${NBSP}%`]);
    expect(api.sent[0]).toMatchObject({ open: 'Open Qoima', pauseAll: 'Pause all', resumeAll: 'Resume all', quit: 'Quit' });

    api.emit({ ...IDLE, transfers: 1, paused: 0, percent: 10 });
    expect(api.sent).toHaveLength(1);
    api.emit({ ...IDLE, transfers: 0, paused: 1, percent: 0 });
    expect(api.sent.at(-1)!.status).toBe('Qoima — 1 transfer paused');

    applyLanguage('ru');
    words.update();
    expect(api.sent.at(-1)).toMatchObject({ status: 'Qoima — 1 передача на паузе', resumeAll: 'Продолжить все', quit: 'Выйти' });
    expect(api.sent.at(-1)!.stillWorkingMinimized).toContain('окно свёрнуто');

    words.stop();
    api.emit(IDLE);
    expect(api.sent).toHaveLength(3);
  });

  it('a refused send is tried again with the next update', async () => {
    const api = new FakeBackgroundApi();
    api.failNext = true;
    const words = new BackgroundWords(api);
    await words.start();
    await settle();
    expect(api.sent).toEqual([]);
    words.update();
    expect(api.sent.map((t) => t.status)).toEqual(['Qoima — everything is up to date']);
  });
});
