// Numbers a person types from the personal cabinet: "10", "2,5", "1 000".
// Decimal gigabytes, as every size in the app is shown.
const GB = 1e9;

/** A non-negative number, with a comma or a point; null when it is not one. */
export function parseAmount(text: string): number | null {
  const t = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(t)) return null;
  return Number(t);
}

/** Gigabytes to bytes. */
export function gigabytesToBytes(text: string): number | null {
  const amount = parseAmount(text);
  return amount === null ? null : Math.round(amount * GB);
}

export function bytesToGigabytes(bytes: number | null): string {
  if (bytes === null) return '';
  return String(Math.round((bytes / GB) * 100) / 100);
}

/** A whole count; null when it is not one. */
export function parseCount(text: string): number | null {
  const amount = parseAmount(text);
  return amount !== null && Number.isInteger(amount) ? amount : null;
}
