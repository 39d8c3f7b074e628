/** "a/b/" → "a/", "a/" → "", "" → "". */
export function parentPrefix(prefix: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? '' : trimmed.slice(0, i + 1);
}

/** One folder level of a prefix: its name, and the prefix that opens it. */
export type Crumb = { name: string; prefix: string };

/** "photos/2024/" → [{ name: "photos", prefix: "photos/" }, { name: "2024", prefix: "photos/2024/" }]. */
export function breadcrumbs(prefix: string): Crumb[] {
  if (prefix === '') return [];
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const out: { name: string; prefix: string }[] = [];
  let acc = '';
  for (const part of trimmed.split('/')) {
    acc += part + '/';
    out.push({ name: part, prefix: acc });
  }
  return out;
}

/** A folder path as typed ("/reports/2026/ ") → its prefix ("reports/2026/"); "" for the top. */
export function folderPrefix(path: string): string {
  const parts = path
    .trim()
    .split('/')
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length ? parts.join('/') + '/' : '';
}
