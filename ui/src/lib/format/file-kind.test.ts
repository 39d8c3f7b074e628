import { describe, expect, it } from 'vitest';
import { fileKind } from './file-kind';

describe('fileKind', () => {
  it('names the kind of each common file by its extension', () => {
    const cases: [string, ReturnType<typeof fileKind>][] = [
      ['photo.jpg', 'image'],
      ['scan.HEIC', 'image'],
      ['logo.svg', 'image'],
      ['trip.mp4', 'video'],
      ['call.MOV', 'video'],
      ['song.mp3', 'audio'],
      ['voice.ogg', 'audio'],
      ['contract.pdf', 'pdf'],
      ['letter.docx', 'document'],
      ['notes.txt', 'document'],
      ['README.md', 'document'],
      ['old.rtf', 'document'],
      ['budget.xlsx', 'spreadsheet'],
      ['export.csv', 'spreadsheet'],
      ['table.ods', 'spreadsheet'],
      ['pitch.pptx', 'presentation'],
      ['talk.odp', 'presentation'],
      ['backup.zip', 'archive'],
      ['site.tar.gz', 'archive'],
      ['dump.tar.zst', 'archive'],
      ['photos.7z', 'archive'],
      ['main.rs', 'code'],
      ['index.html', 'code'],
      ['config.yaml', 'code'],
      ['Cargo.toml', 'code'],
      ['data.json', 'code'],
      ['app.ts', 'code'],
    ];
    for (const [name, kind] of cases) expect(fileKind(name), name).toBe(kind);
  });

  it('ignores letter case', () => {
    expect(fileKind('IMG_0001.JPG')).toBe('image');
    expect(fileKind('Отчёт.PDF')).toBe('pdf');
    expect(fileKind('Есеп.XlSx')).toBe('spreadsheet');
  });

  it('reads the extension of the last part of a path only', () => {
    expect(fileKind('2026.03/report')).toBe('file');
    expect(fileKind('reports.pdf/summary.txt')).toBe('document');
  });

  it('is a plain file when the name tells nothing it knows', () => {
    expect(fileKind('Makefile')).toBe('file');
    expect(fileKind('.env')).toBe('file');
    expect(fileKind('archive.')).toBe('file');
    expect(fileKind('firmware.bin')).toBe('file');
    expect(fileKind('')).toBe('file');
  });
});
