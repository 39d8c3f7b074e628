// Small DOM helpers shared by the bucket screens' tests.
import { flushSync } from 'svelte';

export function input(host: HTMLElement, name: string): HTMLInputElement {
  const el = host.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  if (!el) throw new Error(`no input named ${name}`);
  return el;
}

export function typeInto(host: HTMLElement, name: string, value: string): void {
  const el = input(host, name);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

export function choose(host: HTMLElement, name: string, value: string): void {
  host.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`)!.click();
  flushSync();
}

export function button(host: HTMLElement, text: string): HTMLButtonElement {
  const found = [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
}

export const maybeButton = (host: HTMLElement, text: string): HTMLButtonElement | undefined =>
  [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);

/** Lets pending promise callbacks run and their updates reach the DOM. */
export async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  flushSync();
}
