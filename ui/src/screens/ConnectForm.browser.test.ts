import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import '../lib/design/tokens.css';
import type { Api } from '../lib/api';
import type { ConnectRequest } from '../lib/bindings/ConnectRequest';
import type { Connection } from '../lib/bindings/Connection';
import type { ProviderInfo } from '../lib/bindings/ProviderInfo';
import type { SaveAccountRequest } from '../lib/bindings/SaveAccountRequest';
import ConnectForm from './ConnectForm.svelte';
import { until } from '../test/until';

const support = { telegram: '@PRO_DATA_Support_Bot', phone: '+7 (747) 507 3022', web: null };
const providers: ProviderInfo[] = [
  { id: 'prodata', name: 'PRO DATA', endpoint: null, region: 'kz-ala-1', endpointHint: null, pathStyle: true, support, trialDays: 3 },
  { id: 'aws', name: 'Amazon S3', endpoint: 'https://s3.amazonaws.com', region: 'us-east-1', endpointHint: null, pathStyle: false, support: { telegram: null, phone: null, web: null }, trialDays: null },
];

let host: HTMLDivElement;
let app: ReturnType<typeof mount> | null;
let tests: ConnectRequest[];
let saves: SaveAccountRequest[];
let testAnswer: () => Promise<{ bucketCount: number }>;
let connectedTo: string[];
let connectFailures: number;

function fakeApi(): Api {
  return {
    accountTest: (r: ConnectRequest) => {
      tests.push(r);
      return testAnswer();
    },
    accountSave: async (r: SaveAccountRequest) => {
      saves.push(r);
      return { id: 4, name: r.name, providerId: r.providerId, endpoint: r.endpoint, region: r.region, accessKeyId: r.accessKeyId, secret: 'keyring', lastUsed: null };
    },
    accountConnect: async (id: number) => {
      if (connectFailures > 0) {
        connectFailures--;
        throw { code: 'endpoint_unreachable', field: null, detail: 'connection refused' };
      }
      return { kind: 'account', accountId: id, label: 'x', endpoint: 'y' };
    },
  } as unknown as Api;
}


const field = (name: string) => host.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)!;
function type(name: string, value: string) {
  const el = field(name);
  el.value = value;
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  flushSync();
}
const button = (text: string) => [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === text)!;

beforeEach(() => {
  tests = [];
  saves = [];
  connectedTo = [];
  connectFailures = 0;
  testAnswer = async () => ({ bucketCount: 3 });
  host = document.createElement('div');
  document.body.appendChild(host);
  app = mount(ConnectForm, {
    target: host,
    props: { api: fakeApi(), providers, keyring: 'unavailable', onconnected: (c: Connection) => connectedTo.push(String(c.accountId)) },
  });
  flushSync();
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  host.remove();
});

it('starts with the service provider, its region, and the keyring note', () => {
  expect(field('provider').value).toBe('prodata');
  expect(field('region').value).toBe('kz-ala-1');
  expect(field('endpoint').value).toBe('');
  expect((field('remember') as HTMLInputElement).checked).toBe(true);
  expect(host.textContent).toContain('This computer has no password storage; the secret is kept until you close the app.');
  expect(host.textContent).toContain('personal cabinet');
});

it('validates before calling the engine', async () => {
  button('Test connection').click();
  flushSync();
  expect(tests).toEqual([]);
  expect(host.querySelectorAll('[aria-invalid="true"]').length).toBe(3); // endpoint, access key, secret
  type('endpoint', 's3.example.kz');
  button('Test connection').click();
  flushSync();
  expect(host.textContent).toContain('Enter an address that starts with https:// or http://');
});

it('tests the connection and reports the bucket count in words', async () => {
  type('endpoint', 'https://s3.example.kz');
  type('accessKeyId', 'AKID');
  type('secretKey', 's3cret');
  expect(field('accountName').value).toBe('s3.example.kz');
  button('Test connection').click();
  await until(() => host.querySelector('[data-testid="test-success"]') !== null, 'success');
  expect(host.querySelector('[data-testid="test-success"]')!.textContent).toBe('Connected — 3 buckets');
  expect(tests).toEqual([{ providerId: 'prodata', endpoint: 'https://s3.example.kz', region: 'kz-ala-1', accessKeyId: 'AKID', secretKey: 's3cret' }]);
});

it('explains a failure with the next step, details and support', async () => {
  testAnswer = () => Promise.reject({ code: 'wrong_secret', field: 'secretKey', detail: 'SignatureDoesNotMatch' });
  type('endpoint', 'https://s3.example.kz');
  type('accessKeyId', 'AKID');
  type('secretKey', 'wrong');
  button('Test connection').click();
  await until(() => host.querySelector('[role="alert"]') !== null, 'error');
  const alert = host.querySelector('[role="alert"]')!;
  expect(alert.textContent).toContain('The secret key does not match the access key.');
  expect(alert.textContent).toContain('copy it again from your personal cabinet');
  expect(alert.querySelector('details pre')!.textContent).toBe('SignatureDoesNotMatch');
  expect(alert.textContent).toContain('@PRO_DATA_Support_Bot');
  expect(field('secretKey').getAttribute('aria-invalid')).toBe('true');
});

it('prefills endpoint and region when another provider is chosen, and connects', async () => {
  type('provider', 'aws');
  expect(field('endpoint').value).toBe('https://s3.amazonaws.com');
  expect(field('region').value).toBe('us-east-1');
  type('accessKeyId', 'AKID');
  type('secretKey', 's3cret');
  (field('remember') as HTMLInputElement).click();
  flushSync();
  button('Connect').click();
  await until(() => connectedTo.length === 1, 'connected');
  expect(saves).toEqual([
    { id: null, name: 's3.amazonaws.com', providerId: 'aws', endpoint: 'https://s3.amazonaws.com', region: 'us-east-1', accessKeyId: 'AKID', secretKey: 's3cret', remember: false },
  ]);
  expect(connectedTo).toEqual(['4']);
});

it('a retry after a failed connect edits the account it saved instead of saving another', async () => {
  type('provider', 'aws');
  type('accessKeyId', 'AKID');
  type('secretKey', 's3cret');
  connectFailures = 1;
  button('Connect').click();
  await until(() => !!host.querySelector('[role="alert"][data-code="endpoint_unreachable"]'), 'the failure explained');
  button('Connect').click();
  await until(() => connectedTo.length === 1, 'connected on the second try');
  expect(saves.map((s) => s.id)).toEqual([null, 4]);
});
