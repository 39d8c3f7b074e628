// A fake engine for the object actions in browser tests: it records calls
// and answers like the real one, with hooks to hold an answer back.
import type { Api, ObjectApi, OnProgress } from '../../lib/api';
import type { BucketEntry } from '../../lib/bindings/BucketEntry';
import type { HeadersEdit } from '../../lib/bindings/HeadersEdit';
import type { NameProblem } from '../../lib/bindings/NameProblem';
import type { ObjectProperties } from '../../lib/bindings/ObjectProperties';
import type { SearchResult } from '../../lib/bindings/SearchResult';
import type { SelectionSize } from '../../lib/bindings/SelectionSize';
import type { ShareLink } from '../../lib/bindings/ShareLink';

type Call = [string, ...unknown[]];

export class FakeObjectApi implements ObjectApi, Pick<Api, 'bucketsList'> {
  calls: Call[] = [];
  copied: string[] = [];
  cancelledOps: number[] = [];
  measure: SelectionSize = { objects: 3, bytes: 2_500_000 };
  searchResult: SearchResult = { entries: [], truncated: false, scanned: 0 };
  properties: ObjectProperties = {
    key: 'file.txt',
    size: 1234,
    modified: { utcMs: Date.UTC(2026, 10, 24, 9, 5), offsetS: 5 * 3600 },
    etag: '"abc123"',
    storageClass: 'STANDARD_IA',
    contentType: 'text/plain',
    metadata: { author: 'Aigerim' },
    publicUrl: null,
  };

  called(name: string): Call[] {
    return this.calls.filter((c) => c[0] === name);
  }

  async objectNameCheck(name: string): Promise<NameProblem | null> {
    this.calls.push(['objectNameCheck', name]);
    if (name.trim() === '') return 'empty';
    if (name.includes('/') || name.includes('\\')) return 'slash';
    if (name === '.' || name === '..') return 'dot_segment';
    return null;
  }

  async folderCreate(bucket: string, prefix: string, name: string): Promise<string> {
    this.calls.push(['folderCreate', bucket, prefix, name]);
    return `${prefix}${name}/`;
  }

  async objectRename(bucket: string, key: string, newName: string, opId: number): Promise<string> {
    this.calls.push(['objectRename', bucket, key, newName, opId]);
    return newName;
  }

  async objectsTransfer(
    bucket: string,
    keys: string[],
    destBucket: string,
    destPrefix: string,
    deleteSource: boolean,
    opId: number,
    onProgress?: OnProgress,
  ): Promise<number> {
    this.calls.push(['objectsTransfer', bucket, keys, destBucket, destPrefix, deleteSource, opId]);
    onProgress?.(keys.length);
    return keys.length;
  }

  async objectsMeasure(bucket: string, keys: string[], opId: number): Promise<SelectionSize> {
    this.calls.push(['objectsMeasure', bucket, keys, opId]);
    return this.measure;
  }

  async objectsDelete(bucket: string, keys: string[], opId: number, onProgress?: OnProgress): Promise<number> {
    this.calls.push(['objectsDelete', bucket, keys, opId]);
    onProgress?.(this.measure.objects);
    return this.measure.objects;
  }

  async objectProperties(bucket: string, key: string): Promise<ObjectProperties> {
    this.calls.push(['objectProperties', bucket, key]);
    return { ...this.properties, key };
  }

  async objectUpdateHeaders(bucket: string, key: string, edit: HeadersEdit): Promise<ObjectProperties> {
    this.calls.push(['objectUpdateHeaders', bucket, key, edit]);
    this.properties = { ...this.properties, contentType: edit.contentType, metadata: edit.metadata };
    return { ...this.properties, key };
  }

  async objectShareLink(bucket: string, key: string, expiresSecs: number): Promise<ShareLink> {
    this.calls.push(['objectShareLink', bucket, key, expiresSecs]);
    return {
      url: `https://s3.example.kz/${bucket}/${key}?X-Amz-Expires=${expiresSecs}`,
      expires: { utcMs: Date.UTC(2026, 10, 25, 9, 5), offsetS: 5 * 3600 },
    };
  }

  async objectsSearch(bucket: string, prefix: string, query: string, opId: number): Promise<SearchResult> {
    this.calls.push(['objectsSearch', bucket, prefix, query, opId]);
    return this.searchResult;
  }

  async operationCancel(opId: number): Promise<void> {
    this.cancelledOps.push(opId);
  }

  previewUrl(bucket: string, key: string): string {
    return `/__preview/${bucket}/${key}`;
  }

  async copyText(text: string): Promise<void> {
    this.copied.push(text);
  }

  async bucketsList(): Promise<BucketEntry[]> {
    return [
      { name: 'photos', created: null },
      { name: 'archive', created: null },
    ];
  }
}
