// The one place that talks to the Rust side. Screens receive an `Api`
// (see `context.ts`), so tests can hand them a fake one.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Account } from './bindings/Account';
import type { AppInfo } from './bindings/AppInfo';
import type { BucketEntry } from './bindings/BucketEntry';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { Connection } from './bindings/Connection';
import type { ConnectionCheck } from './bindings/ConnectionCheck';
import type { ErrorCode } from './bindings/ErrorCode';
import type { Language } from './bindings/Language';
import type { ListingProgress } from './bindings/ListingProgress';
import type { ListingSummary } from './bindings/ListingSummary';
import type { ObjectEntry } from './bindings/ObjectEntry';
import type { ObjectPage } from './bindings/ObjectPage';
import type { ProviderInfo } from './bindings/ProviderInfo';
import type { SaveAccountRequest } from './bindings/SaveAccountRequest';
import type { Settings } from './bindings/Settings';
import type { SortSpec } from './bindings/SortSpec';
import type { Startup } from './bindings/Startup';
import type { UiError } from './bindings/UiError';

/** Fetches one page of a prefix in name order; `token` null = first page. */
export interface PageSource {
  objectsPage(bucket: string, prefix: string, token: string | null): Promise<ObjectPage>;
}

/** Loads a whole prefix sorted in the engine and reads windows of it. */
export interface ListingSource {
  listingLoad(
    bucket: string,
    prefix: string,
    sort: SortSpec,
    onProgress: (p: ListingProgress) => void,
  ): Promise<ListingSummary>;
  listingCancel(id: number): Promise<void>;
  listingWindow(id: number, offset: number, limit: number): Promise<ObjectEntry[]>;
  listingClose(id: number): Promise<void>;
}

export interface Api extends PageSource, ListingSource {
  appInfo(): Promise<AppInfo>;
  uiReady(): Promise<void>;
  settingsGet(): Promise<Settings>;
  settingsSetLanguage(language: Language | null): Promise<void>;
  providersList(): Promise<ProviderInfo[]>;
  startup(): Promise<Startup>;
  accountsList(): Promise<Account[]>;
  accountTest(request: ConnectRequest): Promise<ConnectionCheck>;
  accountSave(request: SaveAccountRequest): Promise<Account>;
  accountConnect(id: number, secretKey: string | null): Promise<Connection>;
  accountRemove(id: number): Promise<void>;
  demoConnect(): Promise<Connection>;
  disconnect(): Promise<void>;
  bucketsList(): Promise<BucketEntry[]>;
}

const ERROR_CODES: readonly ErrorCode[] = [
  'endpoint_unreachable',
  'tls',
  'wrong_region',
  'unknown_access_key',
  'wrong_secret',
  'clock_skew',
  'permission_denied',
  'timeout',
  'invalid_input',
  'bucket_not_found',
  'keyring_unavailable',
  'not_connected',
  'cancelled',
  'database',
  'storage_error',
  'internal',
];

export function isUiError(e: unknown): e is UiError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as UiError).code === 'string' &&
    ERROR_CODES.includes((e as UiError).code)
  );
}

/** Every rejection becomes a UiError, whatever was thrown. */
export function toUiError(e: unknown): UiError {
  if (isUiError(e)) {
    return { code: e.code, field: e.field ?? null, detail: e.detail ?? null };
  }
  const detail = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return { code: 'internal', field: null, detail: detail ?? null };
}

async function call<T>(name: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(name, args);
  } catch (e) {
    throw toUiError(e);
  }
}

export const tauriApi: Api = {
  appInfo: () => call('app_info'),
  uiReady: () => call('ui_ready'),
  settingsGet: () => call('settings_get'),
  settingsSetLanguage: (language) => call('settings_set_language', { language }),
  providersList: () => call('providers_list'),
  startup: () => call('startup'),
  accountsList: () => call('accounts_list'),
  accountTest: (request) => call('account_test', { request }),
  accountSave: (request) => call('account_save', { request }),
  accountConnect: (id, secretKey) => call('account_connect', { id, secretKey }),
  accountRemove: (id) => call('account_remove', { id }),
  demoConnect: () => call('demo_connect'),
  disconnect: () => call('disconnect'),
  bucketsList: () => call('buckets_list'),
  objectsPage: (bucket, prefix, token) => call('objects_page', { bucket, prefix, token }),
  async listingLoad(bucket, prefix, sort, onProgress) {
    const unlisten = await listen<ListingProgress>('listing-progress', (event) =>
      onProgress(event.payload),
    );
    try {
      return await call<ListingSummary>('listing_load', { bucket, prefix, sort });
    } finally {
      unlisten();
    }
  },
  listingCancel: (id) => call('listing_cancel', { id }),
  listingWindow: (id, offset, limit) => call('listing_window', { id, offset, limit }),
  listingClose: (id) => call('listing_close', { id }),
};
