// The one place that talks to the Rust side. Screens receive an `Api`
// (see `context.ts`), so tests can hand them a fake one.
import { convertFileSrc, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { getCurrentWindow } from '@tauri-apps/api/window';
import { writeText } from '@tauri-apps/plugin-clipboard-manager';
import { open as openDialog } from '@tauri-apps/plugin-dialog';
import { isPermissionGranted, requestPermission, sendNotification } from '@tauri-apps/plugin-notification';
import { disable as disableAutostart, enable as enableAutostart, isEnabled as autostartIsEnabled } from '@tauri-apps/plugin-autostart';
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
import type { AccessSupport } from './bindings/AccessSupport';
import type { BucketInfo } from './bindings/BucketInfo';
import type { BucketNameProblem } from './bindings/BucketNameProblem';
import type { BucketSummary } from './bindings/BucketSummary';
import type { BucketType } from './bindings/BucketType';
import type { CreateBucketRequest } from './bindings/CreateBucketRequest';
import type { HeadersEdit } from './bindings/HeadersEdit';
import type { NameProblem } from './bindings/NameProblem';
import type { ObjectProperties } from './bindings/ObjectProperties';
import type { OperationProgress } from './bindings/OperationProgress';
import type { SearchResult } from './bindings/SearchResult';
import type { SelectionSize } from './bindings/SelectionSize';
import type { ShareLink } from './bindings/ShareLink';
import type { Website } from './bindings/Website';
import type { BandwidthLimits } from './bindings/BandwidthLimits';
import type { DownloadRequest } from './bindings/DownloadRequest';
import type { EnqueueOutcome } from './bindings/EnqueueOutcome';
import type { TransfersView } from './bindings/TransfersView';
import type { UploadRequest } from './bindings/UploadRequest';
import type { NewSyncPair } from './bindings/NewSyncPair';
import type { SyncPairEdit } from './bindings/SyncPairEdit';
import type { SyncPairView } from './bindings/SyncPairView';
import type { TrashedObject } from './bindings/TrashedObject';
import type { AvailabilityReport } from './bindings/AvailabilityReport';
import type { OutageView } from './bindings/OutageView';
import type { YearMonth } from './bindings/YearMonth';
import type { QuotaSettings } from './bindings/QuotaSettings';
import type { QuotaSettingsRequest } from './bindings/QuotaSettingsRequest';
import type { TrialReminder } from './bindings/TrialReminder';
import type { TrialRequest } from './bindings/TrialRequest';
import type { TrialView } from './bindings/TrialView';
import type { Usage } from './bindings/Usage';
import type { UsageView } from './bindings/UsageView';
import type { BackgroundSummary } from './shell-bindings/BackgroundSummary';
import type { BackgroundTexts } from './shell-bindings/BackgroundTexts';

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

/** Called with the count done so far while a long operation runs. */
export type OnProgress = (done: number) => void;

/** Buckets: create, read and change type and website, delete. */
export interface BucketApi {
  bucketNameCheck(name: string): Promise<BucketNameProblem | null>;
  storageAccess(): Promise<AccessSupport>;
  bucketSummary(bucket: string): Promise<BucketSummary>;
  bucketInfo(bucket: string): Promise<BucketInfo>;
  bucketCreate(request: CreateBucketRequest): Promise<BucketInfo>;
  bucketSetType(bucket: string, type: BucketType, opId: number, onProgress?: OnProgress): Promise<BucketInfo>;
  bucketSetWebsite(bucket: string, website: Website | null): Promise<BucketInfo>;
  bucketMeasure(bucket: string, opId: number): Promise<SelectionSize>;
  bucketDelete(bucket: string, withContents: boolean, opId: number, onProgress?: OnProgress): Promise<void>;
  operationCancel(opId: number): Promise<void>;
}

/** Objects: `keys` are object keys, or folder keys ending in `/`. */
export interface ObjectApi {
  objectNameCheck(name: string): Promise<NameProblem | null>;
  folderCreate(bucket: string, prefix: string, name: string): Promise<string>;
  objectRename(bucket: string, key: string, newName: string, opId: number): Promise<string>;
  objectsTransfer(
    bucket: string,
    keys: string[],
    destBucket: string,
    destPrefix: string,
    deleteSource: boolean,
    opId: number,
    onProgress?: OnProgress,
  ): Promise<number>;
  objectsMeasure(bucket: string, keys: string[], opId: number): Promise<SelectionSize>;
  objectsDelete(bucket: string, keys: string[], opId: number, onProgress?: OnProgress): Promise<number>;
  objectProperties(bucket: string, key: string): Promise<ObjectProperties>;
  objectUpdateHeaders(bucket: string, key: string, edit: HeadersEdit): Promise<ObjectProperties>;
  objectShareLink(bucket: string, key: string, expiresSecs: number): Promise<ShareLink>;
  objectsSearch(bucket: string, prefix: string, query: string, opId: number): Promise<SearchResult>;
  operationCancel(opId: number): Promise<void>;
  /** The address the preview's <img> or fetch reads, served by the app itself. */
  previewUrl(bucket: string, key: string): string;
  copyText(text: string): Promise<void>;
}

/**
 * Files dragged from the file manager over the window. Positions are in CSS
 * pixels from the window's top-left corner, like a mouse event's clientX/Y.
 */
export type FileDrag =
  | { kind: 'over'; x: number; y: number }
  | { kind: 'drop'; x: number; y: number; paths: string[] }
  | { kind: 'leave' };

/** Uploads and downloads in the engine's queue, and what the window shows of them. */
export interface TransferApi {
  transfersUpload(request: UploadRequest): Promise<EnqueueOutcome>;
  transfersDownload(request: DownloadRequest): Promise<EnqueueOutcome>;
  transfersView(): Promise<TransfersView>;
  /** Calls `onView` with each new view of the queue; resolves to the unsubscribe. */
  transfersListen(onView: (view: TransfersView) => void): Promise<() => void>;
  transferPause(id: number): Promise<void>;
  transferResume(id: number): Promise<void>;
  transferCancel(id: number): Promise<void>;
  /** Sends the failed files of a batch again. */
  transferRetry(id: number): Promise<void>;
  transfersClearFinished(): Promise<void>;
  bandwidthLimits(): Promise<BandwidthLimits>;
  bandwidthLimitsSet(limits: BandwidthLimits): Promise<void>;
  /** The system's file picker; null when the person closed it. */
  /** The system's pickers, titled so the person knows what the pick is for. */
  pickFiles(title: string): Promise<string[] | null>;
  pickFolders(title: string): Promise<string[] | null>;
  pickFolder(title: string): Promise<string | null>;
  /** Resolves to the unsubscribe. */
  onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void>;
  setWindowTitle(title: string): Promise<void>;
  /** Whether desktop notifications may be shown; asks the system when it has not been asked. */
  notificationPermission(): Promise<boolean>;
  notify(title: string, body: string): Promise<void>;
}

/** Folders kept in step with the storage, and what the window shows of them. */
export interface SyncApi {
  /** The connected storage's pairs, each with how it is doing. */
  syncPairs(): Promise<SyncPairView[]>;
  /** Calls `onPairs` whenever a pair changes; resolves to the unsubscribe. */
  syncListen(onPairs: (pairs: SyncPairView[]) => void): Promise<() => void>;
  /** The new pair's id; it starts syncing by itself. */
  syncAdd(pair: NewSyncPair): Promise<number>;
  syncEdit(id: number, edit: SyncPairEdit): Promise<void>;
  syncSetPaused(id: number, paused: boolean): Promise<void>;
  syncNow(id: number): Promise<void>;
  /** Lets the deletions a pass held back go ahead. */
  syncApproveDeletions(id: number): Promise<void>;
  /** Lets the uploads held back for the quota go ahead, this once. */
  syncApproveOverQuota(id: number): Promise<void>;
  /** Forgets the pair; nothing is deleted on either side. */
  syncRemove(id: number): Promise<void>;
  /** What the pair's sync trash holds, newest day first. */
  syncTrash(id: number): Promise<TrashedObject[]>;
  syncRestore(id: number, trashKey: string): Promise<void>;
}

/** Work that goes on with the window closed, and the tray that shows it. */
export interface BackgroundApi {
  backgroundSummary(): Promise<BackgroundSummary>;
  /** Calls `onSummary` with each new summary; resolves to the unsubscribe. */
  backgroundListen(onSummary: (summary: BackgroundSummary) => void): Promise<() => void>;
  /** The tray's and the "still working" notification's words, in the window's language. */
  backgroundTextsSet(texts: BackgroundTexts): Promise<void>;
}

/** The account's quota and usage, its trial, and what support needs. */
export interface AccountApi {
  /** The last measurement at once, and how a new one is going. */
  usageView(): Promise<UsageView>;
  /** Measures now; resolves when done (it may take a while by listing). */
  usageMeasure(): Promise<Usage>;
  usageCancel(): Promise<void>;
  quotaSettingsSet(request: QuotaSettingsRequest): Promise<QuotaSettings>;
  trialGet(): Promise<TrialView>;
  trialSet(request: TrialRequest): Promise<TrialView>;
  /** The reminder due now, marked as shown so it comes once. */
  trialTakeReminder(): Promise<TrialReminder | null>;
  diagnosticsText(): Promise<string>;
  /** A month's availability (null: this month), with the credit for an entered payment. */
  availabilityReport(month: YearMonth | null, paymentTiyn: number | null): Promise<AvailabilityReport>;
  /** The storage's outage under way, if any. */
  outageCurrent(): Promise<OutageView | null>;
  /** Records now as the time the customer reported the outage; a second press keeps the first. */
  outageReport(id: number): Promise<OutageView>;
  /** Calls `onOutage` whenever an outage begins, changes or ends; resolves to the unsubscribe. */
  outageListen(onOutage: (outage: OutageView | null) => void): Promise<() => void>;
  copyText(text: string): Promise<void>;
  notificationPermission(): Promise<boolean>;
  notify(title: string, body: string): Promise<void>;
}

/** Starting the app when the person signs in to the computer. */
export interface AutostartApi {
  autostartEnabled(): Promise<boolean>;
  autostartSet(on: boolean): Promise<void>;
}

/** A fresh id for a cancellable operation. */
export function newOpId(): number {
  return Math.floor(Math.random() * 0xffffffff);
}

export interface Api
  extends PageSource, ListingSource, BucketApi, ObjectApi, TransferApi, SyncApi, BackgroundApi, AutostartApi, AccountApi {
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
  'bucket_name_taken',
  'bucket_already_yours',
  'bucket_not_empty',
  'object_not_found',
  'object_exists',
  'quota_exceeded',
  'access_types_unsupported',
  'not_supported',
  'preview_too_large',
  'file_too_large',
  'local_file_unreadable',
  'local_file_unwritable',
  'sync_folder_missing',
  'sync_ignore_rule',
  'key_not_local',
  'checksum_mismatch',
  'file_changed',
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

/** A call whose progress events (tagged with its opId) reach `onProgress`. */
async function callWithProgress<T>(
  name: string,
  args: Record<string, unknown> & { opId: number },
  onProgress?: OnProgress,
): Promise<T> {
  const unlisten = onProgress
    ? await listen<OperationProgress>('operation-progress', (event) => {
        if (event.payload.opId === args.opId) onProgress(event.payload.done);
      })
    : null;
  try {
    return await call<T>(name, args);
  } finally {
    unlisten?.();
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
  bucketNameCheck: (name) => call('bucket_name_check', { name }),
  storageAccess: () => call('storage_access'),
  bucketSummary: (bucket) => call('bucket_summary', { bucket }),
  bucketInfo: (bucket) => call('bucket_info', { bucket }),
  bucketCreate: (request) => call('bucket_create', { request }),
  bucketSetType: (bucket, bucketType, opId, onProgress) =>
    callWithProgress('bucket_set_type', { bucket, bucketType, opId }, onProgress),
  bucketSetWebsite: (bucket, website) => call('bucket_set_website', { bucket, website }),
  bucketMeasure: (bucket, opId) => call('bucket_measure', { bucket, opId }),
  bucketDelete: (bucket, withContents, opId, onProgress) =>
    callWithProgress('bucket_delete', { bucket, withContents, opId }, onProgress),
  operationCancel: (opId) => call('operation_cancel', { opId }),
  objectNameCheck: (name) => call('object_name_check', { name }),
  folderCreate: (bucket, prefix, name) => call('folder_create', { bucket, prefix, name }),
  objectRename: (bucket, key, newName, opId) => call('object_rename', { bucket, key, newName, opId }),
  objectsTransfer: (bucket, keys, destBucket, destPrefix, deleteSource, opId, onProgress) =>
    callWithProgress(
      'objects_transfer',
      { bucket, keys, destBucket, destPrefix, deleteSource, opId },
      onProgress,
    ),
  objectsMeasure: (bucket, keys, opId) => call('objects_measure', { bucket, keys, opId }),
  objectsDelete: (bucket, keys, opId, onProgress) =>
    callWithProgress('objects_delete', { bucket, keys, opId }, onProgress),
  objectProperties: (bucket, key) => call('object_properties', { bucket, key }),
  objectUpdateHeaders: (bucket, key, edit) => call('object_update_headers', { bucket, key, edit }),
  objectShareLink: (bucket, key, expiresSecs) =>
    call('object_share_link', { bucket, key, expiresSecs }),
  objectsSearch: (bucket, prefix, query, opId) =>
    call('objects_search', { bucket, prefix, query, opId }),
  // convertFileSrc gives each platform's form of a custom-scheme address.
  previewUrl: (bucket, key) => convertFileSrc(`${bucket}/${key}`, 'qoima-preview'),
  copyText: (text) => writeText(text),
  transfersUpload: (request) => call('transfers_upload', { request }),
  transfersDownload: (request) => call('transfers_download', { request }),
  transfersView: () => call('transfers_view'),
  transfersListen: (onView) => listen<TransfersView>('transfers', (event) => onView(event.payload)),
  transferPause: (id) => call('transfer_pause', { id }),
  transferResume: (id) => call('transfer_resume', { id }),
  transferCancel: (id) => call('transfer_cancel', { id }),
  transferRetry: (id) => call('transfer_retry', { id }),
  transfersClearFinished: () => call('transfers_clear_finished'),
  bandwidthLimits: () => call('bandwidth_limits'),
  bandwidthLimitsSet: (limits) => call('bandwidth_limits_set', { limits }),
  pickFiles: async (title) => paths(await openDialog({ title, multiple: true })),
  pickFolders: async (title) => paths(await openDialog({ title, directory: true, multiple: true })),
  pickFolder: async (title) => {
    const chosen = await openDialog({ title, directory: true });
    return typeof chosen === 'string' ? chosen : null;
  },
  onFileDrag: (handler) =>
    getCurrentWebview().onDragDropEvent((event) => {
      const drag = event.payload;
      if (drag.type === 'leave') {
        handler({ kind: 'leave' });
        return;
      }
      // The webview reports physical pixels; the page lays out in CSS pixels.
      const { x, y } = drag.position.toLogical(window.devicePixelRatio || 1);
      if (drag.type === 'drop') handler({ kind: 'drop', x, y, paths: drag.paths });
      else handler({ kind: 'over', x, y });
    }),
  setWindowTitle: (title) => getCurrentWindow().setTitle(title),
  async notificationPermission() {
    if (await isPermissionGranted()) return true;
    return (await requestPermission()) === 'granted';
  },
  notify: async (title, body) => sendNotification({ title, body }),
  syncPairs: () => call('sync_pairs'),
  syncListen: (onPairs) => listen<SyncPairView[]>('sync', (event) => onPairs(event.payload)),
  syncAdd: (pair) => call('sync_add', { pair }),
  syncEdit: (id, edit) => call('sync_edit', { id, edit }),
  syncSetPaused: (id, paused) => call('sync_set_paused', { id, paused }),
  syncNow: (id) => call('sync_now', { id }),
  syncApproveDeletions: (id) => call('sync_approve_deletions', { id }),
  syncApproveOverQuota: (id) => call('sync_approve_over_quota', { id }),
  syncRemove: (id) => call('sync_remove', { id }),
  syncTrash: (id) => call('sync_trash', { id }),
  syncRestore: (id, trashKey) => call('sync_restore', { id, trashKey }),
  backgroundSummary: () => call('background_summary'),
  backgroundListen: (onSummary) => listen<BackgroundSummary>('background', (event) => onSummary(event.payload)),
  backgroundTextsSet: (texts) => call('background_texts_set', { texts }),
  usageView: () => call('usage_view'),
  usageMeasure: () => call('usage_measure'),
  usageCancel: () => call('usage_cancel'),
  quotaSettingsSet: (request) => call('quota_settings_set', { request }),
  trialGet: () => call('trial_get'),
  trialSet: (request) => call('trial_set', { request }),
  trialTakeReminder: () => call('trial_take_reminder'),
  diagnosticsText: () => call('diagnostics_text'),
  availabilityReport: (month, paymentTiyn) => call('availability_report', { month, paymentTiyn }),
  outageCurrent: () => call('outage_current'),
  outageReport: (id) => call('outage_report', { id }),
  outageListen: (onOutage) => listen<OutageView | null>('outage', (event) => onOutage(event.payload)),
  autostartEnabled: () => autostartIsEnabled(),
  autostartSet: (on) => (on ? enableAutostart() : disableAutostart()),
};

function paths(chosen: string | string[] | null): string[] | null {
  if (chosen === null) return null;
  const list = Array.isArray(chosen) ? chosen : [chosen];
  return list.length > 0 ? list : null;
}
