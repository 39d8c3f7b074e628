// The account page, the trial countdown and the outage banner against a
// fake engine in real Chromium: the meters and their levels, the limits
// form, the request for more quota, the trial's states and the calls its
// buttons make, an outage reported, the availability figures, and the
// trial's reminders and an outage's notice, each once.
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../lib/design/tokens.css';
import { applyLanguage } from '../../lib/i18n.svelte';
import { until } from '../../test/until';
import AccountOverview from './AccountOverview.svelte';
import { AccountCenter } from './center.svelte';
import { at, FakeAccountApi, GB, NOW, outage, report, usage } from './fake-account-api';
import OutageBanner from './OutageBanner.svelte';
import TrialCountdown from './TrialCountdown.svelte';

let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;
let center: AccountCenter | null = null;

const support = { telegram: '@PRO_DATA_Support_Bot', phone: '+7 (747) 507 3022', web: null };
const NBSP = '\u00a0';

async function render(api: FakeAccountApi) {
  center = new AccountCenter(api, () => NOW);
  await center.start();
  component = mount(AccountOverview, {
    target: host,
    props: { center, lang: 'en', support, account: 'work', endpoint: 'https://s3.example.kz' },
  });
  await settle();
  return center;
}

async function settle() {
  flushSync();
  await tick();
  await new Promise((r) => setTimeout(r, 0));
  flushSync();
}

const text = (el: Element | null) => (el?.textContent ?? '').replace(/[ \t\n]+/g, ' ').trim();
const byTestId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const button = (label: string, within: ParentNode = host) =>
  [...within.querySelectorAll<HTMLButtonElement>('button')].find((b) => text(b) === label) ?? null;
const dialog = () => document.querySelector<HTMLElement>('[role="dialog"], [role="alertdialog"]');
const input = (name: string, within: ParentNode = host) => within.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
function type(field: HTMLInputElement | HTMLSelectElement, value: string) {
  field.value = value;
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
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
  center?.stop();
  center = null;
  host.remove();
  applyLanguage('en');
});

describe('usage', () => {
  it('shows each meter against its limit, amber past 80 % in words too, and how it was measured', async () => {
    const api = new FakeAccountApi();
    await render(api);
    const space = byTestId('meter-bytes')!;
    expect(text(space)).toBe(`Space 8.5${NBSP}GB of 10${NBSP}GB Over 80 % of the limit is used.`);
    expect(space.dataset.level).toBe('warning');
    expect(space.querySelector('[role="meter"]')!.getAttribute('aria-valuenow')).toBe('85');
    expect(text(byTestId('meter-objects'))).toBe('Objects 1,200 used');
    expect(byTestId('meter-objects')!.querySelector('[role="meter"]')).toBeNull();
    expect(text(byTestId('meter-buckets'))).toBe('Buckets 2 of 100');
    expect(text(byTestId('usage-measured'))).toBe(
      'Measured 02 Dec 2026, 14:00, by counting every object · limits as you entered them from your personal cabinet',
    );
    expect(text(byTestId('usage-panel'))).toContain(`Standard storage: 8${NBSP}GB · 1,000 objects`);
    expect(text(byTestId('usage-panel'))).toContain(`Cold storage: 500${NBSP}MB · 200 objects`);
    // Measured at NOW: not old enough to measure again.
    expect(api.called('usageMeasure')).toHaveLength(0);
  });

  it('an old measurement is taken again in the background', async () => {
    const api = new FakeAccountApi();
    api.view.usage = usage({ measured: at(NOW - 2 * 3600_000) });
    await render(api);
    await until(() => api.called('usageMeasure').length === 1, 'measured again');
  });

  it('limits from the personal cabinet are saved, in gigabytes, and measured with', async () => {
    const api = new FakeAccountApi();
    await render(api);
    button('Enter limits from the personal cabinet')!.click();
    await settle();
    const form = byTestId('limits-form')!;
    expect(input('maxGigabytes', form).value).toBe('10');
    type(input('maxGigabytes', form), '2,5');
    type(input('maxObjects', form), 'lots');
    await settle();
    expect(text(form)).toContain('Enter a number, for example 10 or 2,5.');
    expect(button('Save and measure', form)!.disabled).toBe(true);
    type(input('maxObjects', form), '50000');
    await settle();
    button('Save and measure', form)!.click();
    await until(() => api.called('quotaSettingsSet').length === 1, 'saved');
    expect(api.called('quotaSettingsSet')[0][1]).toEqual({
      limits: { maxBytes: 2.5 * GB, maxObjects: 50000, maxBuckets: 100 },
      garageAdminEndpoint: null,
      garageAdminToken: null,
    });
    await until(() => api.called('usageMeasure').length === 1, 'measured with them');
  });

  it('the request for more quota carries the account and the numbers, ready to copy', async () => {
    const api = new FakeAccountApi();
    await render(api);
    button('Ask for more quota')!.click();
    await settle();
    const message = dialog()!.querySelector<HTMLTextAreaElement>('[data-testid="quota-request-text"]')!.value;
    expect(message).toBe(
      [
        'Hello! Please raise the quota of my object storage account.',
        '',
        'Account: work',
        'Storage address: https://s3.example.kz',
        `Space: 8.5${NBSP}GB of 10${NBSP}GB`,
        'Objects: 1,200 used',
        'Buckets: 2 of 100',
        '',
        'Thank you!',
      ].join('\n'),
    );
    expect(text(dialog()!.querySelector('[data-testid="support-contacts"]'))).toContain('@PRO_DATA_Support_Bot');
    button('Copy', dialog()!)!.click();
    await until(() => api.copied.length === 1, 'copied');
    expect(api.copied[0]).toBe(message);
  });

  it('a failed measurement says why', async () => {
    const api = new FakeAccountApi();
    api.usageMeasure = async () => {
      throw { code: 'endpoint_unreachable', field: null, detail: 'connection refused' };
    };
    await render(api);
    button('Measure again')!.click();
    await until(() => host.querySelector('[data-code="endpoint_unreachable"]') !== null, 'the error');
  });
});

describe('trial', () => {
  it('not said yet: the start from the cabinet, the earliest provable one, or none', async () => {
    const api = new FakeAccountApi();
    await render(api);
    const panel = byTestId('trial-panel')!;
    expect(text(panel)).toContain('Do you have a trial period?');
    const unknown = button('I do not know: it began no later than 01 Dec 2026, 12:00', panel)!;
    expect(button('Save start', panel)!.disabled).toBe(true);
    type(input('trialStart', panel), '2026-12-01T10:30');
    await settle();
    button('Save start', panel)!.click();
    await until(() => api.called('trialSet').length === 1, 'recorded');
    expect(api.called('trialSet')[0][1]).toEqual({ hasTrial: true, startUtcMs: new Date('2026-12-01T10:30').getTime() });
    await settle();
    expect(text(byTestId('trial-state'))).toBe('Trial: 1 d 22 h 0 min left');
    expect(unknown.isConnected).toBe(false);
  });

  it('an estimated end says “no later than” and sends the customer to the cabinet', async () => {
    const api = new FakeAccountApi();
    await render(api);
    button('I do not know: it began no later than 01 Dec 2026, 12:00')!.click();
    await until(() => api.called('trialSet').length === 1, 'recorded');
    expect(api.called('trialSet')[0][1]).toEqual({ hasTrial: true, startUtcMs: null });
    await settle();
    expect(text(byTestId('trial-panel'))).toContain('Ends no later than 04 Dec 2026, 12:00 — check the exact time in your personal cabinet');
  });

  it('an ended trial says the service is now paid and how to stop it', async () => {
    const api = new FakeAccountApi();
    api.trial = { state: 'ended', end: at(NOW - 3600_000), endIsEstimate: false };
    await render(api);
    expect(text(byTestId('trial-state'))).toBe(
      'Your trial ended on 02 Dec 2026, 13:00 — the service is now paid according to the price list. If you do not want to continue, switch it off in your personal cabinet.',
    );
  });

  it('the header counts down, with the exact end on hover', async () => {
    const trial = { state: 'running' as const, start: at(NOW), end: at(NOW + 50 * 3600_000), endIsEstimate: false, days: 3, daysLeft: 2, hoursLeft: 2, minutesLeft: 5 };
    applyLanguage('ru');
    component = mount(TrialCountdown, { target: host, props: { trial, lang: 'ru', onopen: () => {} } });
    flushSync();
    const pill = byTestId('trial-countdown')!;
    expect(text(pill)).toBe('Тестовый период: осталось 2 д 2 ч 5 мин');
    expect(pill.title).toBe('Заканчивается 04.12.2026, 16:00');
  });

  it('each reminder becomes one desktop notification', async () => {
    const api = new FakeAccountApi();
    api.reminders = ['three_hours_left'];
    await render(api);
    await until(() => api.notified.length === 1, 'the notification');
    expect(api.notified[0]).toEqual(['Trial period', 'Your trial ends in 3 hours. After it the service is paid.']);
  });
});

describe('outages', () => {
  it('an outage is told at once, once, and reported with a written-out report', async () => {
    const api = new FakeAccountApi();
    const c = new AccountCenter(api, () => NOW);
    center = c;
    await c.start();
    api.emitOutage(outage());
    api.emitOutage(outage({ lastChecked: at(NOW + 60_000) }));
    await settle();
    expect(api.notified).toEqual([
      ['The storage is not answering', 'Since 13:45. Downtime counts from your report — open Qoima and report it now.'],
    ]);
    component = mount(OutageBanner, {
      target: host,
      props: {
        outage: c.outage!,
        support,
        account: 'work',
        endpoint: 'https://s3.example.kz',
        lang: 'en',
        copy: (t: string) => api.copyText(t),
        onreported: () => c.reportOutage(),
      },
    });
    flushSync();
    expect(text(byTestId('outage-banner'))).toBe(
      'The storage is not answering since 13:45. Downtime counts from your report — report it now. Report it now',
    );
    button('Report it now')!.click();
    await settle();
    const report = dialog()!.querySelector<HTMLTextAreaElement>('[data-testid="outage-report-text"]')!.value;
    expect(report).toBe(
      [
        'Hello! The object storage is not answering.',
        '',
        'Account: work',
        'Storage address: https://s3.example.kz',
        'Not answering since: 02 Dec 2026, 13:45 (UTC+05:00) · 02 Dec 2026, 08:45 UTC',
        'What the app saw: connection refused',
      ].join('\n'),
    );
    expect(text(dialog())).toContain('+7 (747) 507 3022');
    button('I reported it', dialog()!)!.click();
    await until(() => c.outage?.reported !== null, 'reported');
    expect(api.called('outageReport')).toEqual([['outageReport', 3]]);
    expect(c.outage!.reported).toEqual(at(NOW + 60_000));
  });

  it('the availability page lists the month’s outages, the share and the credit for a payment', async () => {
    const api = new FakeAccountApi();
    api.availability = report({ availabilityBasisPoints: 9985, tierPercent: 5 });
    await render(api);
    const panel = byTestId('availability-panel')!;
    expect(text(byTestId('availability-share'))).toBe(`99.85${NBSP}%`);
    expect(text(byTestId('availability-credit'))).toBe(`5${NBSP}%`);
    const cells = [...panel.querySelectorAll('[data-testid="outage-row"] td')].map(text);
    expect(cells).toEqual(['02 Dec 2026, 13:45', '02 Dec 2026, 13:55', 'not reported', 'connection refused']);
    expect(text(panel)).toContain("An estimate from what this computer saw. The provider's records decide.");
    type(input('payment', panel), '4990,50');
    await until(() => text(byTestId('availability-credit')) === `5${NBSP}% · 249.52${NBSP}₸`, 'the credit as money');
    expect(api.called('availabilityReport').at(-1)!.slice(1)).toEqual([null, 499050]);
    type(panel.querySelector<HTMLSelectElement>('select[name="month"]')!, 'previous');
    await until(() => api.called('availabilityReport').some((c) => JSON.stringify(c[1]) === '{"year":2026,"month":11}'), 'November');
  });
});
