import { classLabel } from '../buckets/labels';

/** Storage classes in the same words as the bucket screens; anything else as the storage names it. */
export function storageClassLabel(value: string | null): string {
  // Most storages omit the class of Standard objects.
  if (value === null || value === 'STANDARD') return classLabel('standard');
  if (value === 'STANDARD_IA' || value === 'COLD') return classLabel('cold');
  return value;
}

// What the app promises in the error text: Latin letters, digits, - _ .
const META_KEY = /^[A-Za-z0-9._-]+$/;

/** One problem per row (null = fine); empty rows are dropped on save. */
export function metadataProblems(rows: { key: string; value: string }[]): ('invalid' | 'duplicate' | null)[] {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const k = row.key.trim().toLowerCase();
    if (k) seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return rows.map((row) => {
    const k = row.key.trim();
    if (!k) return row.value.trim() ? 'invalid' : null;
    if (!META_KEY.test(k)) return 'invalid';
    return (seen.get(k.toLowerCase()) ?? 0) > 1 ? 'duplicate' : null;
  });
}
