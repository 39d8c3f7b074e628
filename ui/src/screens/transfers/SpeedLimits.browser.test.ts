// Speed limits in Settings, against a fake engine in real Chromium.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import { toasts } from '../../lib/components/toast.svelte';
import { applyLanguage } from '../../lib/i18n.svelte';
import { until } from '../../test/until';
import Settings from '../Settings.svelte';
import { FakeTransferApi } from './fake-transfer-api';
import { parseMegabytes } from './SpeedLimits.svelte';

let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;

async function render(api: FakeTransferApi | null) {
  component = mount(Settings, { target: host, props: { language: null, version: '0.1.0', onlanguage: () => {}, limits: api } });
  flushSync();
  if (api) await until(() => api.called('bandwidthLimits').length === 1 && !checkbox('upload').disabled, 'the limits');
}

const checkbox = (name: string) => host.querySelector<HTMLInputElement>(`input[name="${name}-limited"]`)!;
const field = (name: string) => host.querySelector<HTMLInputElement>(`input[name="${name}-limit"]`);
const save = () => [...host.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Save')!;
function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

beforeEach(() => {
  applyLanguage('en');
  host = document.createElement('div');
  document.body.appendChild(host);
  toasts.splice(0);
});

afterEach(() => {
  if (component) unmount(component);
  component = null;
  host.remove();
  applyLanguage('en');
});

describe('speed limits', () => {
  it('shows the saved limits, explains them, and saves new ones in bytes per second', async () => {
    const api = new FakeTransferApi();
    api.limits = { upload: 2_000_000, download: null };
    await render(api);
    expect(host.textContent).toContain('Speed limit');
    expect(host.textContent).toContain('Keeps a big upload or a background backup from slowing your home internet.');
    expect(checkbox('upload').checked).toBe(true);
    expect(field('upload')!.value).toBe('2');
    expect(checkbox('download').checked).toBe(false);
    expect(field('download')).toBeNull();
    expect(save().disabled).toBe(true);

    checkbox('download').click();
    flushSync();
    type(field('download')!, '0.5');
    type(field('upload')!, '10');
    expect(save().disabled).toBe(false);
    save().click();
    await until(() => api.called('bandwidthLimitsSet').length === 1, 'saved');
    expect(api.called('bandwidthLimitsSet')[0][1]).toEqual({ upload: 10_000_000, download: 500_000 });
    await until(() => toasts.some((t) => t.message === 'Speed limits saved'), 'the toast');
    await until(() => save().disabled, 'nothing left to save');

    // Off again: no limit.
    checkbox('upload').click();
    flushSync();
    save().click();
    await until(() => api.called('bandwidthLimitsSet').length === 2, 'saved again');
    expect(api.called('bandwidthLimitsSet')[1][1]).toEqual({ upload: null, download: 500_000 });
  });

  it('refuses what is not a speed, in plain words', async () => {
    const api = new FakeTransferApi();
    await render(api);
    checkbox('upload').click();
    flushSync();
    type(field('upload')!, '0');
    save().click();
    flushSync();
    await until(() => host.textContent!.includes('Enter a number greater than 0, for example 2 or 0.5.'), 'the problem');
    expect(field('upload')!.getAttribute('aria-invalid')).toBe('true');
    expect(api.called('bandwidthLimitsSet')).toEqual([]);
  });

  it('takes the comma Kazakh and Russian write decimals with', async () => {
    applyLanguage('kk');
    const api = new FakeTransferApi();
    api.limits = { upload: null, download: 1_500_000 };
    component = mount(Settings, { target: host, props: { language: 'kk', version: '0.1.0', onlanguage: () => {}, limits: api } });
    flushSync();
    await until(() => field('download') !== null, 'the limits');
    expect(field('download')!.value).toBe('1,5');
    expect(parseMegabytes('0,25')).toBe(250_000);
    expect(parseMegabytes(' 3 ')).toBe(3_000_000);
    expect(parseMegabytes('1.000,5')).toBeNull();
    expect(parseMegabytes('-1')).toBeNull();
    expect(parseMegabytes('abc')).toBeNull();
  });

  it('is not shown without a connection to ask', async () => {
    await render(null);
    expect(host.querySelector('[data-testid="speed-limits"]')).toBeNull();
  });
});
