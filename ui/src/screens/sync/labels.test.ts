// The words a sync pair is shown with, in the three languages.
import { afterEach, describe, expect, it } from 'vitest';
import { formatAgo } from '../../lib/format/ago';
import { applyLanguage } from '../../lib/i18n.svelte';
import { conflictName, folderName, heldConsequence, heldQuestion, lastSyncedLabel, problemText, remoteLabel, stateLabel } from './labels';

const NBSP = '\u00a0';
const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);

afterEach(() => applyLanguage('en'));

describe('how long ago', () => {
  it('counts whole minutes, hours and days', () => {
    applyLanguage('en');
    expect(formatAgo(NOW - 20_000, NOW, 'en')).toBe('just now');
    expect(formatAgo(NOW + 5 * MIN, NOW, 'en')).toBe('just now');
    expect(formatAgo(NOW - MIN, NOW, 'en')).toBe('1 minute ago');
    expect(formatAgo(NOW - 59 * MIN - 59_000, NOW, 'en')).toBe('59 minutes ago');
    expect(formatAgo(NOW - 60 * MIN, NOW, 'en')).toBe('1 hour ago');
    expect(formatAgo(NOW - 23 * 60 * MIN, NOW, 'en')).toBe('23 hours ago');
    expect(formatAgo(NOW - 1500 * 24 * 60 * MIN, NOW, 'en')).toBe('1,500 days ago');
  });

  it('Russian plurals and Kazakh', () => {
    applyLanguage('ru');
    expect(formatAgo(NOW - MIN, NOW, 'ru')).toBe('1 минуту назад');
    expect(formatAgo(NOW - 3 * MIN, NOW, 'ru')).toBe('3 минуты назад');
    expect(formatAgo(NOW - 11 * MIN, NOW, 'ru')).toBe('11 минут назад');
    expect(formatAgo(NOW - 21 * 60 * MIN, NOW, 'ru')).toBe('21 час назад');
    expect(formatAgo(NOW - 2 * 24 * 60 * MIN, NOW, 'ru')).toBe('2 дня назад');
    expect(formatAgo(NOW - 1200 * 24 * 60 * MIN, NOW, 'ru')).toBe(`1${NBSP}200 дней назад`);
    expect(lastSyncedLabel(NOW - 5 * MIN, NOW, 'ru')).toBe('Синхронизировано 5 минут назад');
    expect(lastSyncedLabel(null, NOW, 'ru')).toBe('Ещё не синхронизировано');
    applyLanguage('kk');
    expect(formatAgo(NOW, NOW, 'kk')).toBe('жаңа ғана');
    expect(lastSyncedLabel(NOW - 2 * 60 * MIN, NOW, 'kk')).toBe('Соңғы синхрондау: 2 сағат бұрын');
  });
});

describe('a pair in words', () => {
  it('names the folder and the place in the storage', () => {
    expect(folderName('/home/aigerim/Documents')).toBe('Documents');
    expect(folderName('/home/aigerim/Documents/')).toBe('Documents');
    expect(folderName('C:\\Users\\Aigerim\\Құжаттар')).toBe('Құжаттар');
    expect(remoteLabel({ bucket: 'photos', prefix: 'backups/laptop/' })).toBe('photos / backups / laptop');
    expect(remoteLabel({ bucket: 'photos', prefix: '' })).toBe('photos');
  });

  it('says what the pair is doing', () => {
    expect(stateLabel({ activity: 'watching', pending: 0 }, 'en')).toBe('Up to date');
    expect(stateLabel({ activity: 'syncing', pending: 0 }, 'en')).toBe('Syncing…');
    expect(stateLabel({ activity: 'syncing', pending: 1 }, 'en')).toBe('Syncing 1 file');
    expect(stateLabel({ activity: 'syncing', pending: 1200 }, 'en')).toBe('Syncing 1,200 files');
    expect(stateLabel({ activity: 'offline', pending: 0 }, 'en')).toBe('The storage does not answer; trying again');
    expect(stateLabel({ activity: 'waiting', pending: 0 }, 'en')).toBe('Waiting for your decision');
    applyLanguage('ru');
    expect(stateLabel({ activity: 'syncing', pending: 3 }, 'ru')).toBe('Синхронизируются 3 файла');
    expect(stateLabel({ activity: 'paused', pending: 0 }, 'ru')).toBe('Приостановлено');
  });

  it('asks about held deletions, and says nothing was deleted when a side is empty', () => {
    const held = { side: 'remote', count: 120, of: 200, why: 'too_many' } as const;
    expect(heldQuestion(held, 'en')).toBe(
      '120 of 200 files are gone from this folder. Syncing would move them to the sync trash in the storage too. Was that you?',
    );
    expect(heldConsequence(held, 30, 'en')).toBe('If you carry on, the files stay in the sync trash for 30 days and can be put back.');
    expect(heldQuestion({ ...held, side: 'local' }, 'en')).toBe(
      '120 of 200 files are gone from the storage. Syncing would move them to this computer’s trash too. Was that you?',
    );
    expect(heldConsequence({ ...held, side: 'local' }, 30, 'en')).toBe('If you carry on, the files go to this computer’s trash, where you can restore them.');
    expect(heldQuestion({ ...held, why: 'other_side_empty' }, 'en')).toBe(
      'The folder on this computer is empty, so nothing was deleted in the storage. Did you empty it on purpose?',
    );
    expect(heldQuestion({ ...held, side: 'local', why: 'other_side_empty' }, 'en')).toBe(
      'The folder in the storage is empty, so nothing was deleted on this computer. Was it emptied on purpose?',
    );
    applyLanguage('ru');
    expect(heldQuestion({ ...held, count: 4, of: 5 }, 'ru')).toBe(
      'В этой папке больше нет 4 из 5 файлов. Синхронизация уберёт их и в хранилище — в корзину синхронизации. Это сделали вы?',
    );
    expect(heldQuestion({ ...held, count: 1, of: 21 }, 'ru')).toContain('1 из 21 файла');
    applyLanguage('kk');
    expect(heldQuestion({ ...held, count: 4, of: 5 }, 'kk')).toBe(
      'Бұл қалтада 5 файлдың 4 файлы енді жоқ. Синхрондау оларды қоймада да синхрондау себетіне жылжытады. Мұны сіз жасадыңыз ба?',
    );
  });

  it('explains each kind of problem', () => {
    expect(conflictName('docs/report.pdf')).toBe('report (conflict …).pdf');
    expect(conflictName('.bashrc')).toBe('.bashrc (conflict …)');
    expect(conflictName('notes')).toBe('notes (conflict …)');
    expect(problemText({ path: 'docs/report.pdf', kind: 'conflict', error: null })).toBe(
      'Changed here and in the storage at once: both versions are kept, the storage’s one as “report (conflict …).pdf”.',
    );
    expect(problemText({ path: 'a', kind: 'link', error: null })).toContain('symbolic link');
    expect(problemText({ path: 'a', kind: 'failed', error: { code: 'quota_exceeded', field: null, detail: null } })).toMatch(
      /^Could not be synced this time; Qoima will try again\. .+/,
    );
  });
});
