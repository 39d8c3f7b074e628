import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import './lib/design/tokens.css';
import App from './App.svelte';
import type { Api } from './lib/api';
import { IDLE } from './lib/background';
import type { Startup } from './lib/bindings/Startup';
import { applyLanguage } from './lib/i18n.svelte';
import type { BackgroundTexts } from './lib/shell-bindings/BackgroundTexts';
import { FakeAccountApi, at, NOW as ACCOUNT_NOW } from './screens/account/fake-account-api';
import { FakeSyncApi, pairView } from './screens/sync/fake-sync-api';
import { batch, FakeTransferApi, viewOf } from './screens/transfers/fake-transfer-api';
import { until } from './test/until';

let host: HTMLDivElement;
let app: ReturnType<typeof mount> | null = null;
let calls: string[];
let trayTexts: BackgroundTexts[];

const account = { id: 1, name: 'work', providerId: 'prodata', endpoint: 'https://s3.example.kz', region: 'kz-1', accessKeyId: 'AK', secret: 'keyring' as const, lastUsed: null };

function fakeApi(
  startup: Startup,
  osLocale = 'en-US',
  transfers = new FakeTransferApi(),
  sync = new FakeSyncApi(),
  account = new FakeAccountApi(),
): Api {
  const log =
    <T,>(name: string, value: T) =>
    async () => {
      calls.push(name);
      return value;
    };
  return {
    appInfo: log('app_info', { version: '0.1.0', osLocale, keyring: 'available', demoAvailable: true }),
    settingsGet: log('settings_get', { language: null }),
    providersList: log('providers_list', []),
    startup: log('startup', startup),
    uiReady: log('ui_ready', undefined),
    accountsList: log('accounts_list', startup.accounts),
    bucketsList: log('buckets_list', [{ name: 'photos', created: null }]),
    demoConnect: log('demo_connect', { kind: 'demo', accountId: null, label: 'Demo', endpoint: 'http://127.0.0.1:9' }),
    disconnect: log('disconnect', undefined),
    accountRemove: log('account_remove', undefined),
    bucketSummary: async (name: string) => ({ name, created: null, type: 'private', class: 'standard' }),
    backgroundSummary: log('background_summary', IDLE),
    backgroundListen: async () => () => {},
    backgroundTextsSet: async (texts: BackgroundTexts) => {
      calls.push('background_texts_set');
      trayTexts.push(texts);
    },
    autostartEnabled: log('autostart_enabled', false),
    settingsSetLanguage: async (language: string | null) => {
      calls.push(`settings_set_language:${language}`);
    },
    ...account.methods(),
    ...transfers.methods(),
    ...sync.methods(),
  } as unknown as Api;
}


const text = () => host.textContent ?? '';
const button = (label: string) => [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === label || b.getAttribute('aria-label') === label)!;

beforeEach(() => {
  calls = [];
  trayTexts = [];
  host = document.createElement('div');
  host.style.height = '600px';
  document.body.appendChild(host);
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  host.remove();
  applyLanguage('en');
});

it('with no account: welcome, demo, and a clear demo banner; ui_ready once', async () => {
  app = mount(App, { target: host, props: { api: fakeApi({ connection: null, accounts: [], needsSecret: null }) } });
  await until(() => text().includes('Welcome to Qoima'), 'welcome');
  await until(() => calls.includes('ui_ready'), 'ui_ready');
  expect(host.querySelector('[data-testid="connect-form"]')).not.toBeNull();
  expect(host.querySelector('[data-testid="demo-banner"]')).toBeNull();

  button('Try the demo storage').click();
  await until(() => host.querySelector('[data-testid="demo-banner"]') !== null, 'demo banner');
  expect(host.querySelector('[data-testid="demo-banner"]')!.textContent).toContain('Demo storage — sample files on this computer');
  await until(() => host.querySelector('[data-bucket="photos"]') !== null, 'bucket list');
  expect(calls.filter((c) => c === 'ui_ready')).toHaveLength(1);
});

it('first run: the language is chosen on the welcome screen, in one click, and kept', async () => {
  app = mount(App, { target: host, props: { api: fakeApi({ connection: null, accounts: [], needsSecret: null }, 'ru_RU.UTF-8') } });
  await until(() => text().includes('Добро пожаловать в Qoima'), 'welcome in the OS language');
  // A new language draws the window anew: the choice is looked up each time.
  const choice = () => host.querySelector<HTMLElement>('[data-testid="language-choice"]')!;
  expect(choice().getAttribute('aria-label')).toBe('Тіл · Язык · Language');
  const pressed = () => [...choice().querySelectorAll('button[aria-pressed="true"]')].map((b) => b.textContent);
  expect(pressed()).toEqual(['Русский']);

  button('Қазақша').click();
  await until(() => text().includes('Qoima-ға қош келдіңіз'), 'welcome in Kazakh');
  expect(calls).toContain('settings_set_language:kk');
  expect(document.documentElement.lang).toBe('kk');
  expect(pressed()).toEqual(['Қазақша']);
  expect(text()).toContain('Жеке кабинеттен екі нәрсені көшіріңіз');
  expect(host.querySelector('[data-testid="connect-form"]')).not.toBeNull();

  // Help is a click away before any storage is connected, and leads back.
  host.querySelector<HTMLButtonElement>('[data-testid="welcome-help"]')!.click();
  await until(() => host.querySelector('[data-testid="help"]') !== null, 'the help page');
  expect(text()).toContain('Қойма қалай жұмыс істейді');
  button('Жабу').click();
  await until(() => host.querySelector('[data-testid="language-choice"]') !== null, 'back to the welcome screen');
});

it('with a connected account: the bucket list in the OS language, and removal asks first', async () => {
  app = mount(App, {
    target: host,
    props: { api: fakeApi({ connection: { kind: 'account', accountId: 1, label: 'work', endpoint: account.endpoint }, accounts: [account], needsSecret: null }, 'ru_RU.UTF-8') },
  });
  await until(() => host.querySelector('[data-bucket="photos"]') !== null, 'bucket list');
  expect(host.querySelector('h1')!.textContent).toBe('Бакеты');
  expect(document.documentElement.lang).toBe('ru');
  await until(() => trayTexts.length > 0, 'the tray’s words');
  expect(trayTexts.map((t) => t.open), 'the tray speaks Russian from the start').toEqual(['Открыть Qoima']);

  button('Удалить: work').click();
  flushSync();
  await until(() => host.querySelector('[role="alertdialog"]') !== null, 'confirmation');
  expect(calls).not.toContain('account_remove');
  button('Удалить учётную запись').click();
  await until(() => calls.includes('account_remove'), 'removal');
  await until(() => text().includes('Добро пожаловать в Qoima'), 'welcome after removing the current account');
});

it('asks for the secret again when the keyring could not keep it', async () => {
  app = mount(App, { target: host, props: { api: fakeApi({ connection: null, accounts: [account], needsSecret: { ...account, secret: 'missing' } }) } });
  await until(() => text().includes('Enter the secret key'), 'needs-secret screen');
  expect(text()).toContain('“work”');
});

it('transfers: the sidebar button shows progress and opens the panel; the title follows', async () => {
  const transfers = new FakeTransferApi();
  app = mount(App, {
    target: host,
    props: { api: fakeApi({ connection: { kind: 'account', accountId: 1, label: 'work', endpoint: account.endpoint }, accounts: [account], needsSecret: null }, 'en-US', transfers) },
  });
  await until(() => host.querySelector('[data-bucket="photos"]') !== null, 'bucket list');
  const toggle = host.querySelector<HTMLButtonElement>('[data-testid="transfers-button"]')!;
  expect(toggle.getAttribute('aria-expanded')).toBe('false');
  expect(host.querySelector('[data-testid="transfers-badge"]')).toBeNull();
  expect(host.querySelector('#transfers-panel')).toBeNull();

  await until(() => transfers.called('transfersView').length === 1, 'the first view');
  transfers.emit(viewOf([batch({ id: 1, bytesTotal: 200, bytesDone: 50 })]));
  flushSync();
  expect(host.querySelector('[data-testid="transfers-badge"]')!.textContent).toBe('1 · 25\u00a0%');
  expect(host.querySelector(`#${toggle.getAttribute('aria-controls')}-status`)!.textContent).toBe('1 transfer in progress, 25\u00a0% done');
  expect(transfers.titles).toEqual(['Qoima — 25\u00a0% · 1 transfer']);

  toggle.click();
  flushSync();
  await until(() => host.querySelector('#transfers-panel [data-batch="1"]') !== null, 'the panel');
  expect(toggle.getAttribute('aria-expanded')).toBe('true');
  await until(() => document.activeElement === host.querySelector('#transfers-panel'), 'focus in the panel');
  button('Hide transfers').click();
  flushSync();
  expect(host.querySelector('#transfers-panel')).toBeNull();
  expect(document.activeElement).toBe(toggle);

  transfers.emit(viewOf([batch({ id: 1, state: 'done' })]));
  flushSync();
  expect(host.querySelector('[data-testid="transfers-badge"]')).toBeNull();
  expect(transfers.titles.at(-1)).toBe('Qoima');

  // Settings offer the speed limits once connected.
  button('Settings').click();
  await until(() => host.querySelector('[data-testid="speed-limits"]') !== null, 'speed limits');
  await until(() => transfers.called('bandwidthLimits').length === 1, 'limits read');
});

it('sync: the sidebar entry shows work and a folder that needs the person, and opens the Sync screen', async () => {
  const sync = new FakeSyncApi();
  app = mount(App, {
    target: host,
    props: {
      api: fakeApi({ connection: { kind: 'account', accountId: 1, label: 'work', endpoint: account.endpoint }, accounts: [account], needsSecret: null }, 'en-US', undefined, sync),
    },
  });
  await until(() => host.querySelector('[data-bucket="photos"]') !== null, 'bucket list');
  const entry = host.querySelector<HTMLButtonElement>('[data-testid="sync-button"]')!;
  expect(entry.textContent!.trim()).toBe('Sync');
  expect(host.querySelector('[data-testid="sync-badge"], [data-testid="sync-attention"]')).toBeNull();

  await until(() => sync.listeners === 1, 'the sync events followed');
  sync.emit([pairView({ id: 1 }, { activity: 'syncing', pending: 4 })]);
  flushSync();
  expect(host.querySelector('[data-testid="sync-badge"]')!.textContent!.trim()).toBe('4');
  expect(document.getElementById(entry.getAttribute('aria-describedby')!)!.textContent).toBe('4 files left to sync');

  sync.emit([pairView({ id: 1 }, { activity: 'waiting', held: [{ side: 'remote', count: 4, of: 5, why: 'too_many' }] })]);
  flushSync();
  expect(host.querySelector('[data-testid="sync-attention"]')).not.toBeNull();
  expect(document.getElementById(entry.getAttribute('aria-describedby')!)!.textContent).toBe('1 folder needs your attention');

  entry.click();
  flushSync();
  await until(() => host.querySelector('[data-testid="sync-screen"] [data-pair="1"] [data-testid="held"]') !== null, 'the Sync screen');
  expect(host.querySelector('h1')!.textContent).toBe('Sync');
  expect(entry.classList.contains('active')).toBe(true);
});

it('account: the sidebar shows the space used, the header the trial, and both open the account page', async () => {
  const accountApi = new FakeAccountApi();
  accountApi.trial = { state: 'running', start: at(ACCOUNT_NOW), end: at(ACCOUNT_NOW + 50 * 3600_000), endIsEstimate: true, days: 3, daysLeft: 2, hoursLeft: 1, minutesLeft: 59 };
  app = mount(App, {
    target: host,
    props: {
      api: fakeApi({ connection: { kind: 'account', accountId: 1, label: 'work', endpoint: account.endpoint }, accounts: [account], needsSecret: null }, 'en-US', undefined, undefined, accountApi),
    },
  });
  await until(() => host.querySelector('[data-testid="trial-countdown"]') !== null, 'the countdown');
  const countdown = host.querySelector<HTMLButtonElement>('[data-testid="trial-countdown"]')!;
  expect(countdown.textContent?.trim()).toBe('Trial: 2 d 1 h 59 min left');
  expect(countdown.title).toBe('Ends no later than 04 Dec 2026, 16:00 — check the exact time in your personal cabinet');
  const nav = host.querySelector<HTMLButtonElement>('[data-testid="usage-nav"]')!;
  expect(nav.textContent?.replace(/[ \t\n]+/g, ' ').trim()).toBe('Account 8.5\u00a0GB of 10\u00a0GB');
  nav.click();
  await until(() => host.querySelector('[data-testid="account-overview"]') !== null, 'the account page');
  expect(nav.classList.contains('active')).toBe(true);

  // An outage begins: the banner asks for the report at once, on every screen.
  button('Buckets').click();
  await until(() => host.querySelector('[data-bucket="photos"]') !== null, 'bucket list again');
  accountApi.emitOutage({ id: 1, start: at(ACCOUNT_NOW), end: null, reported: null, errorKinds: ['timeout'], lastChecked: at(ACCOUNT_NOW) });
  await until(() => host.querySelector('[data-testid="outage-banner"]') !== null, 'the banner');
  accountApi.emitOutage(null);
  await until(() => host.querySelector('[data-testid="outage-banner"]') === null, 'gone when it answers');
});
