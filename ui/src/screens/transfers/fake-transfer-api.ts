// A fake transfer queue for browser tests: records every call, answers from
// plain data, and lets the test send queue views and file drags as the
// engine and the window would.
import type { FileDrag, TransferApi } from '../../lib/api';
import type { BandwidthLimits } from '../../lib/bindings/BandwidthLimits';
import type { DownloadRequest } from '../../lib/bindings/DownloadRequest';
import type { EnqueueOutcome } from '../../lib/bindings/EnqueueOutcome';
import type { TransferBatch } from '../../lib/bindings/TransferBatch';
import type { TransfersView } from '../../lib/bindings/TransfersView';
import type { UploadRequest } from '../../lib/bindings/UploadRequest';
import { isActive } from './labels';

type Call = [string, ...unknown[]];

const AT = Date.UTC(2026, 10, 24, 9, 0);

/** A batch of one file, half sent; `over` changes any field. */
export function batch(over: Partial<TransferBatch> = {}): TransferBatch {
  return {
    id: 1,
    direction: 'upload',
    title: 'report.pdf',
    items: 1,
    bucket: 'photos',
    prefix: 'docs/',
    localDir: '/home/aigerim/Documents',
    state: 'running',
    filesTotal: 1,
    filesDone: 0,
    filesFailed: 0,
    filesSkipped: 0,
    bytesTotal: 40_000_000,
    bytesDone: 20_000_000,
    bytesPerSecond: 2_000_000,
    secondsLeft: 10,
    failures: [],
    stoppedBy: null,
    created: { utcMs: AT, offsetS: 5 * 3600 },
    finished: null,
    ...over,
  };
}

/** The view the engine would send for these batches. */
export function viewOf(batches: TransferBatch[]): TransfersView {
  const active = batches.filter((b) => isActive(b.state));
  return {
    batches,
    activeBatches: active.length,
    activeBytesTotal: active.reduce((n, b) => n + b.bytesTotal, 0),
    activeBytesDone: active.reduce((n, b) => n + b.bytesDone, 0),
  };
}

export class FakeTransferApi implements TransferApi {
  calls: Call[] = [];
  view: TransfersView = viewOf([]);
  /** Answers to the next uploads and downloads, in order; then "queued". */
  outcomes: EnqueueOutcome[] = [];
  nextBatchId = 7;
  picked: { files: string[] | null; folders: string[] | null; folder: string | null } = {
    files: ['/home/aigerim/a.txt', '/home/aigerim/b.txt'],
    folders: ['/home/aigerim/Trips'],
    folder: '/home/aigerim/Downloads',
  };
  limits: BandwidthLimits = { upload: null, download: null };
  titles: string[] = [];
  notifications: [string, string][] = [];
  permissionAsks = 0;
  permission = true;
  #views = new Set<(view: TransfersView) => void>();
  #drags = new Set<(drag: FileDrag) => void>();

  called(name: string): Call[] {
    return this.calls.filter((c) => c[0] === name);
  }

  /** The engine's event: a new view of the queue. */
  emit(view: TransfersView) {
    this.view = view;
    for (const listener of this.#views) listener(view);
  }

  /** The window's drag-and-drop event. */
  drag(drag: FileDrag) {
    for (const handler of this.#drags) handler(drag);
  }

  /** Its TransferApi methods bound to it, to spread into a fuller fake Api. */
  methods(): TransferApi {
    const proto = FakeTransferApi.prototype as unknown as Record<string, unknown>;
    const names = Object.getOwnPropertyNames(proto).filter(
      (name) => name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function',
    );
    const self = this as unknown as Record<string, (...args: unknown[]) => unknown>;
    return Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => self[name](...args)])) as unknown as TransferApi;
  }

  get dragListeners(): number {
    return this.#drags.size;
  }

  #enqueue(): EnqueueOutcome {
    return this.outcomes.shift() ?? { kind: 'queued', batchId: this.nextBatchId++ };
  }

  async transfersUpload(request: UploadRequest) {
    this.calls.push(['transfersUpload', structuredClone(request)]);
    return this.#enqueue();
  }
  async transfersDownload(request: DownloadRequest) {
    this.calls.push(['transfersDownload', structuredClone(request)]);
    return this.#enqueue();
  }
  async transfersView() {
    this.calls.push(['transfersView']);
    return this.view;
  }
  async transfersListen(onView: (view: TransfersView) => void) {
    this.#views.add(onView);
    return () => void this.#views.delete(onView);
  }
  async transferPause(id: number) {
    this.calls.push(['transferPause', id]);
  }
  async transferResume(id: number) {
    this.calls.push(['transferResume', id]);
  }
  async transferCancel(id: number) {
    this.calls.push(['transferCancel', id]);
  }
  async transferRetry(id: number) {
    this.calls.push(['transferRetry', id]);
  }
  async transfersClearFinished() {
    this.calls.push(['transfersClearFinished']);
  }
  async bandwidthLimits() {
    this.calls.push(['bandwidthLimits']);
    return { ...this.limits };
  }
  async bandwidthLimitsSet(limits: BandwidthLimits) {
    this.calls.push(['bandwidthLimitsSet', { ...limits }]);
    this.limits = { ...limits };
  }
  async pickFiles(title: string) {
    this.calls.push(['pickFiles', title]);
    return this.picked.files;
  }
  async pickFolders(title: string) {
    this.calls.push(['pickFolders', title]);
    return this.picked.folders;
  }
  async pickFolder(title: string) {
    this.calls.push(['pickFolder', title]);
    return this.picked.folder;
  }
  async onFileDrag(handler: (drag: FileDrag) => void) {
    this.#drags.add(handler);
    return () => void this.#drags.delete(handler);
  }
  async setWindowTitle(title: string) {
    this.titles.push(title);
  }
  async notificationPermission() {
    this.permissionAsks++;
    return this.permission;
  }
  async notify(title: string, body: string) {
    this.notifications.push([title, body]);
  }
}
