// "Start Qoima when I sign in" in Settings, against a fake engine in real Chromium.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import type { AutostartApi } from '../../lib/api';
import { applyLanguage } from '../../lib/i18n.svelte';
import { until } from '../../test/until';
import Settings from '../Settings.svelte';

class FakeAutostart implements AutostartApi {
  enabled = false;
  calls: boolean[] = [];
  refuse = false;
  async autostartEnabled() {
    return this.enabled;
  }
  async autostartSet(on: boolean) {
    this.calls.push(on);
    if (this.refuse) throw 'Failed to find home directory';
    this.enabled = on;
  }
}

let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;

async function render(api: FakeAutostart | null) {
  component = mount(Settings, { target: host, props: { language: null, version: '0.1.0', onlanguage: () => {}, autostart: api } });
  flushSync();
  if (api) await until(() => !checkbox().disabled, 'the current setting');
}

const checkbox = () => host.querySelector<HTMLInputElement>('input[name="autostart"]')!;
/** A click, with the box disabled at once while the change is under way. */
function click() {
  checkbox().click();
  flushSync();
}

beforeEach(() => {
  applyLanguage('en');
  host = document.createElement('div');
  document.body.appendChild(host);
});

afterEach(() => {
  if (component) unmount(component);
  component = null;
  host.remove();
  applyLanguage('en');
});

it('is off by default, explains itself, and turns on and off', async () => {
  const api = new FakeAutostart();
  await render(api);
  expect(checkbox().checked).toBe(false);
  expect(host.textContent).toContain('Start Qoima when I sign in');
  expect(host.textContent).toContain('Qoima opens by itself when you sign in to this computer');
  click();
  await until(() => api.calls.length === 1 && !checkbox().disabled, 'turned on');
  expect(api.enabled).toBe(true);
  click();
  await until(() => api.calls.length === 2 && !checkbox().disabled, 'turned off');
  expect(api.calls).toEqual([true, false]);
  expect(checkbox().checked).toBe(false);
});

it('shows the current setting and speaks the person’s language', async () => {
  applyLanguage('kk');
  const api = new FakeAutostart();
  api.enabled = true;
  await render(api);
  expect(checkbox().checked).toBe(true);
  expect(host.textContent).toContain('Компьютерге кіргенде Qoima-ны іске қосу');
});

it('a refusal leaves the box as it was and says so', async () => {
  const api = new FakeAutostart();
  api.refuse = true;
  await render(api);
  click();
  await until(() => host.querySelector('[role=alert]') !== null, 'the error');
  expect(checkbox().checked).toBe(false);
  expect(checkbox().disabled).toBe(false);
});

it('is not shown without the setting', async () => {
  await render(null);
  expect(checkbox()).toBeNull();
});
