/** What a file holds, as far as its name tells: it picks the icon and the words read out for it. */
export type FileKind =
  | 'image'
  | 'video'
  | 'audio'
  | 'pdf'
  | 'document'
  | 'spreadsheet'
  | 'presentation'
  | 'archive'
  | 'code'
  | 'file';

const EXTENSIONS: Record<Exclude<FileKind, 'file'>, string> = {
  image: 'png jpg jpeg jpe gif webp bmp ico svg avif heic heif tif tiff raw cr2 nef dng psd',
  video: 'mp4 m4v mov avi mkv webm wmv flv mpg mpeg 3gp',
  audio: 'mp3 m4a aac wav flac ogg oga opus wma aiff amr mid midi',
  pdf: 'pdf',
  document: 'doc docx odt rtf txt md markdown log',
  spreadsheet: 'xls xlsx xlsm ods csv tsv',
  presentation: 'ppt pptx pps ppsx odp',
  archive: 'zip rar 7z tar gz tgz bz2 tbz2 xz txz zst zstd lz4 iso',
  code: 'js mjs cjs jsx ts tsx py rb rs go java kt c h cpp hpp cs php swift sql json xml html htm css scss sh bash ps1 bat yaml yml toml ini conf cfg',
};

const BY_EXTENSION = new Map<string, FileKind>(
  Object.entries(EXTENSIONS).flatMap(([kind, list]) => list.split(' ').map((ext) => [ext, kind as FileKind] as const)),
);

/** The kind of a file by its extension, in any letter case; 'file' when the name says nothing known. */
export function fileKind(name: string): FileKind {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  // A leading dot marks a hidden file (".env"), not an extension.
  if (dot <= 0) return 'file';
  return BY_EXTENSION.get(base.slice(dot + 1).toLowerCase()) ?? 'file';
}
