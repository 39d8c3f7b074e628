import { describe, expect, it } from 'vitest';
import type { ObjectEntry } from '../../lib/bindings/ObjectEntry';
import { classLabel } from '../buckets/labels';
import { decodeText, previewErrorCode, previewKind } from './preview';
import { metadataProblems, storageClassLabel } from './properties';
import { searchModelEntries, sortEntries } from './search';

const entry = (key: string, size: number | null, minute: number | null): ObjectEntry => ({
  key,
  name: key.replace(/\/$/, '').split('/').pop()!,
  kind: key.endsWith('/') ? 'folder' : 'object',
  size,
  modified: minute === null ? null : { utcMs: minute * 60_000, offsetS: 0 },
  storageClass: null,
});

describe('storage class words', () => {
  it('names Standard and Cold in the words of the bucket screens', () => {
    expect(storageClassLabel(null)).toBe('Standard storage');
    expect(storageClassLabel('STANDARD')).toBe(classLabel('standard'));
    expect(storageClassLabel('STANDARD_IA')).toBe('Cold storage');
    expect(storageClassLabel('COLD')).toBe(classLabel('cold'));
    // A class the app has no words for is shown as the storage names it.
    expect(storageClassLabel('DEEP_ARCHIVE')).toBe('DEEP_ARCHIVE');
  });
});

describe('metadata rows', () => {
  it('flags names outside Latin letters, digits and - _ . and names used twice', () => {
    expect(
      metadataProblems([
        { key: 'author', value: 'A' },
        { key: 'Author', value: 'B' },
        { key: 'автор', value: 'C' },
        { key: 'x-ok_1.2', value: '' },
        { key: '', value: '' },
        { key: ' ', value: 'orphan value' },
      ]),
    ).toEqual(['duplicate', 'duplicate', 'invalid', null, null, 'invalid']);
  });
});

describe('preview', () => {
  it('knows images and text by extension, case aside', () => {
    expect(previewKind('photo.JPG')).toBe('image');
    expect(previewKind('medeu.svg')).toBe('image');
    expect(previewKind('Есеп 2026.txt')).toBe('text');
    expect(previewKind('data.Csv')).toBe('text');
    expect(previewKind('archive.zip')).toBeNull();
    expect(previewKind('README')).toBeNull();
  });

  it('reads UTF-8 text, and Windows-1251 text where the bytes are no UTF-8', () => {
    expect(decodeText(new TextEncoder().encode('Сәлем, әлем'))).toBe('Сәлем, әлем');
    // "Привет, мир" as saved by an old Windows editor.
    const cp1251 = Uint8Array.from('Привет, мир', (c) => (c >= 'А' && c <= 'я' ? c.charCodeAt(0) - 0x410 + 0xc0 : c.charCodeAt(0)));
    expect(decodeText(cp1251)).toBe('Привет, мир');
  });

  it('reads the error code from a refusal, and anything unknown as internal', () => {
    expect(previewErrorCode('preview_too_large\n')).toBe('preview_too_large');
    expect(previewErrorCode('object_not_found')).toBe('object_not_found');
    expect(previewErrorCode('<html>oops</html>')).toBe('internal');
  });
});

describe('search results', () => {
  it('show their path below the folder searched and keep their own name', () => {
    const named = searchModelEntries([entry('docs/2024/a.txt', 1, 1), entry('docs/old/', null, null)], 'docs/');
    expect(named.map((e) => e.path)).toEqual(['2024/a.txt', 'old']);
    expect(named.map((e) => e.name)).toEqual(['a.txt', 'old']);
    expect(named.map((e) => e.key)).toEqual(['docs/2024/a.txt', 'docs/old/']);
    // Sorted by the path shown.
    expect(sortEntries(named, { by: 'name', descending: false, foldersFirst: false }).map((e) => e.path)).toEqual(['2024/a.txt', 'old']);
  });

  it('sort like the engine: by name, size or date, folders first on request', () => {
    const list = [entry('b10.txt', 5, 3), entry('b9.txt', 20, 1), entry('a/', null, null), entry('c.txt', 1, 2)];
    const names = (by: 'name' | 'size' | 'modified', descending = false, foldersFirst = false) =>
      sortEntries(list, { by, descending, foldersFirst }).map((e) => e.name);
    expect(names('name')).toEqual(['a', 'b9.txt', 'b10.txt', 'c.txt']);
    expect(names('size', true)).toEqual(['b9.txt', 'b10.txt', 'c.txt', 'a']);
    expect(names('modified')).toEqual(['a', 'b9.txt', 'c.txt', 'b10.txt']);
    expect(names('size', true, true)).toEqual(['a', 'b9.txt', 'b10.txt', 'c.txt']);
  });
});
