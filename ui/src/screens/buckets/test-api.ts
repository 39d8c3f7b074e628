// A fake engine for the bucket screens' tests: records every call and answers
// from plain data the test can change.
import type { Api } from '../../lib/api';
import type { AccessSupport } from '../../lib/bindings/AccessSupport';
import type { BucketInfo } from '../../lib/bindings/BucketInfo';
import type { BucketNameProblem } from '../../lib/bindings/BucketNameProblem';
import type { BucketSummary } from '../../lib/bindings/BucketSummary';
import type { SelectionSize } from '../../lib/bindings/SelectionSize';

export type Call = [string, ...unknown[]];

/** The engine's naming rules, enough of them for the tests. */
export function nameProblem(name: string): BucketNameProblem | null {
  if (name.length < 3) return 'too_short';
  if (name.length > 63) return 'too_long';
  if (/[A-Z]/.test(name)) return 'uppercase';
  if (/[^a-z0-9.-]/.test(name)) return 'invalid_character';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'bad_edge';
  if (name.includes('..')) return 'consecutive_dots';
  return null;
}

export function bucketInfo(name: string, over: Partial<BucketInfo> = {}): BucketInfo {
  return {
    name,
    type: 'private',
    access: 'policy',
    class: 'standard',
    classSource: 'storage',
    publicBaseUrl: `https://s3.example.kz/${name}/`,
    website: null,
    websiteSupported: true,
    domainTarget: 's3.example.kz',
    ...over,
  };
}

export class FakeBucketEngine {
  calls: Call[] = [];
  access: AccessSupport = 'policy';
  infos = new Map<string, BucketInfo>();
  sizes = new Map<string, SelectionSize>();
  summaries = new Map<string, Partial<BucketSummary>>();
  /** Set to make the next call of that name fail with this error. */
  failNext = new Map<string, unknown>();
  /** Progress counts a long operation reports before it ends. */
  progress: number[] = [];
  /** Holds a long operation open until the test lets it go. */
  hold: Promise<void> | null = null;

  private answer<T>(name: string, value: () => T): Promise<T> {
    const failure = this.failNext.get(name);
    if (failure !== undefined) {
      this.failNext.delete(name);
      return Promise.reject(failure);
    }
    return Promise.resolve().then(value);
  }

  private async long(name: string, onProgress?: (n: number) => void): Promise<void> {
    for (const n of this.progress) onProgress?.(n);
    if (this.hold) await this.hold;
    const failure = this.failNext.get(name);
    if (failure !== undefined) {
      this.failNext.delete(name);
      throw failure;
    }
  }

  info(name: string): BucketInfo {
    return this.infos.get(name) ?? bucketInfo(name, { access: this.access });
  }

  api(): Api {
    const api: Partial<Api> = {
      bucketsList: () => this.answer('bucketsList', () => [...this.infos.keys()].map((name) => ({ name, created: null }))),
      bucketNameCheck: (name) => this.answer('bucketNameCheck', () => nameProblem(name)),
      storageAccess: () => this.answer('storageAccess', () => this.access),
      bucketSummary: (name) => {
        this.calls.push(['bucketSummary', name]);
        const info = this.info(name);
        return this.answer('bucketSummary', () => ({ name, created: null, type: info.type, class: info.class, ...this.summaries.get(name) }));
      },
      bucketInfo: (name) => {
        this.calls.push(['bucketInfo', name]);
        return this.answer('bucketInfo', () => this.info(name));
      },
      bucketCreate: (request) => {
        this.calls.push(['bucketCreate', request]);
        return this.answer('bucketCreate', () => {
          const info = bucketInfo(request.name, { type: request.type, class: request.class, classSource: 'local' });
          this.infos.set(request.name, info);
          return info;
        });
      },
      bucketSetType: async (bucket, type, opId, onProgress) => {
        this.calls.push(['bucketSetType', bucket, type]);
        await this.long('bucketSetType', onProgress);
        const info = { ...this.info(bucket), type };
        this.infos.set(bucket, info);
        return info;
      },
      bucketSetWebsite: (bucket, website) => {
        this.calls.push(['bucketSetWebsite', bucket, website]);
        return this.answer('bucketSetWebsite', () => {
          const info = { ...this.info(bucket), website };
          this.infos.set(bucket, info);
          return info;
        });
      },
      bucketMeasure: (bucket) => {
        this.calls.push(['bucketMeasure', bucket]);
        return this.answer('bucketMeasure', () => this.sizes.get(bucket) ?? { objects: 0, bytes: 0 });
      },
      bucketDelete: async (bucket, withContents, opId, onProgress) => {
        this.calls.push(['bucketDelete', bucket, withContents]);
        await this.long('bucketDelete', onProgress);
        this.infos.delete(bucket);
      },
      operationCancel: async (opId) => {
        this.calls.push(['operationCancel', opId]);
      },
      copyText: async (text) => {
        this.calls.push(['copyText', text]);
      },
    };
    return api as Api;
  }

  named(name: string): Call[] {
    return this.calls.filter((c) => c[0] === name);
  }
}
