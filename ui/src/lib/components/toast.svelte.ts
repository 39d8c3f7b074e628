export type ToastKind = 'info' | 'success' | 'error';
export type ToastItem = { id: number; message: string; kind: ToastKind };

let nextId = 1;
export const toasts = $state<ToastItem[]>([]);

export function dismissToast(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

/** Shows a short message; it goes away by itself after a few seconds. */
export function showToast(message: string, kind: ToastKind = 'info', ms = 4000): void {
  const id = nextId++;
  toasts.push({ id, message, kind });
  setTimeout(() => dismissToast(id), ms);
}
