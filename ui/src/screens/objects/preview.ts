import type { ErrorCode } from '../../lib/bindings/ErrorCode';
import { isUiError } from '../../lib/api';

export type PreviewKind = 'image' | 'text';

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'ico', 'svg', 'avif']);
const TEXT = new Set([
  'txt', 'md', 'markdown', 'csv', 'tsv', 'json', 'log', 'xml', 'yaml', 'yml', 'toml', 'ini', 'conf', 'cfg',
  'html', 'htm', 'css', 'js', 'ts', 'py', 'sh', 'sql', 'srt', 'vtt', 'rs', 'go', 'java', 'c', 'h', 'cpp', 'env',
]);

/** What the quick preview can show for a name, by its extension. */
export function previewKind(name: string): PreviewKind | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  if (IMAGE.has(ext)) return 'image';
  if (TEXT.has(ext)) return 'text';
  return null;
}

/** The preview endpoint answers a failure with the error code as its body. */
export function previewErrorCode(body: string): ErrorCode {
  const code = body.trim();
  return isUiError({ code }) ? (code as ErrorCode) : 'internal';
}

/**
 * Text as UTF-8 when it is valid UTF-8; otherwise as Windows-1251, in which
 * many Russian and Kazakh files made on Windows are still saved.
 */
export function decodeText(bytes: BufferSource): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}
