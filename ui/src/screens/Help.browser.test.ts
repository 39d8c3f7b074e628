// The Help page in real Chromium, in each language: its headings, the support
// channels, the plain-language sections, diagnostics copied through the
// engine (and absent without a storage), and no text wider than the main
// area of an 800×600 window.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Language } from '../lib/bindings/Language';
import type { Support } from '../lib/bindings/Support';
import { toasts } from '../lib/components/toast.svelte';
import '../lib/design/tokens.css';
import { applyLanguage } from '../lib/i18n.svelte';
import { until } from '../test/until';
import Help from './Help.svelte';

const support: Support = { telegram: '@PRO_DATA_Support_Bot', phone: '+7 (747) 507 3022', web: null };

class FakeHelpApi {
  copied: string[] = [];
  async diagnosticsText() {
    return 'Qoima 0.1.0\nSystem: Debian';
  }
  async copyText(text: string) {
    this.copied.push(text);
  }
}

let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;

function render(props: { support: Support | null; api: FakeHelpApi | null }) {
  component = mount(Help, { target: host, props });
  flushSync();
}

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const byTestId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const headings = (level: string) => [...host.querySelectorAll(level)].map(text);
const button = (label: string) => [...host.querySelectorAll('button')].find((b) => text(b) === label) ?? null;

beforeEach(() => {
  host = document.createElement('div');
  // The main area of an 800×600 window, beside the sidebar.
  host.style.cssText = 'width: 540px;';
  document.body.appendChild(host);
});

afterEach(() => {
  if (component) unmount(component);
  component = null;
  host.remove();
  toasts.splice(0);
  applyLanguage('en');
});

const pages: Record<Language, { h1: string; h2: string[]; h3: string[]; phrases: string[] }> = {
  en: {
    h1: 'Help',
    h2: ['Get help', 'How storage works'],
    h3: ['Buckets', 'Folders', 'Bucket types', 'Storage classes', 'Quotas', 'Trial period', 'Keys'],
    phrases: ['Public read and write', 'Standard storage', 'Cold storage', 'personal cabinet', '3 calendar days', 'Copy diagnostics'],
  },
  kk: {
    h1: 'Көмек',
    h2: ['Көмек алу', 'Қойма қалай жұмыс істейді'],
    h3: ['Бакеттер', 'Қалталар', 'Бакет түрлері', 'Сақтау кластары', 'Квоталар', 'Тестілеу кезеңі', 'Кілттер'],
    phrases: ['Жалпыға оқу мен жазуға ашық', 'Стандартты сақтау', 'Салқын қойма', 'жеке кабинет', '3 күнтізбелік күн', 'Диагностиканы көшіру'],
  },
  ru: {
    h1: 'Помощь',
    h2: ['Как получить помощь', 'Как устроено хранилище'],
    h3: ['Бакеты', 'Папки', 'Типы бакетов', 'Классы хранения', 'Квоты', 'Тестовый период', 'Ключи'],
    phrases: ['Публичные чтение и запись', 'Стандартное хранение', 'Холодное хранение', 'личном кабинете', '3 календарных дня', 'Скопировать диагностику'],
  },
};

describe('the help page', () => {
  for (const [lang, want] of Object.entries(pages) as [Language, (typeof pages)[Language]][]) {
    it(`in ${lang}: one h1, a heading per part and per section, the support channels, nothing too wide`, () => {
      applyLanguage(lang);
      render({ support, api: new FakeHelpApi() });
      expect(headings('h1')).toEqual([want.h1]);
      expect(headings('h2')).toEqual(want.h2);
      expect(headings('h3')).toEqual(want.h3);
      const page = text(byTestId('help'));
      for (const phrase of want.phrases) expect(page, phrase).toContain(phrase);
      for (const id of ['buckets', 'folders', 'types', 'classes', 'quotas', 'trial', 'keys']) {
        expect(text(byTestId(`help-topic-${id}`)).length, id).toBeGreaterThan(40);
      }

      const contacts = byTestId('help-get-help')!.querySelector('[data-testid="support-contacts"]')!;
      expect(text(contacts)).toContain('@PRO_DATA_Support_Bot');
      expect(contacts.querySelector('a[href="https://t.me/PRO_DATA_Support_Bot"]')).not.toBeNull();
      expect(contacts.querySelector('a[href="tel:+77475073022"]')).not.toBeNull();

      expect(host.scrollWidth).toBeLessThanOrEqual(host.clientWidth);
      for (const el of host.querySelectorAll<HTMLElement>('h1, h2, h3, p, dt, dd, li, button')) {
        expect(el.scrollWidth, text(el)).toBeLessThanOrEqual(el.clientWidth + 1);
      }
    });
  }

  it('copies the diagnostics the engine writes, and says so', async () => {
    const api = new FakeHelpApi();
    render({ support, api });
    button('Copy diagnostics')!.click();
    await until(() => api.copied.length === 1, 'copied');
    expect(api.copied[0]).toBe('Qoima 0.1.0\nSystem: Debian');
    await until(() => toasts.some((t) => t.message.startsWith('Diagnostics copied')), 'the toast');
  });

  it('a failed copy says how to copy by hand', async () => {
    const api = new FakeHelpApi();
    api.copyText = async () => {
      throw new Error('no clipboard');
    };
    render({ support, api });
    button('Copy diagnostics')!.click();
    await until(() => toasts.some((t) => t.kind === 'error' && t.message.startsWith('Could not copy')), 'the error toast');
  });

  it('without a storage there are no diagnostics, and without channels it says where to look', () => {
    render({ support: null, api: null });
    expect(byTestId('help-diagnostics')).toBeNull();
    expect(button('Copy diagnostics')).toBeNull();
    expect(byTestId('support-contacts')).toBeNull();
    expect(text(byTestId('help-get-help'))).toContain('their contacts are in your personal cabinet');
    expect(headings('h3')).toHaveLength(7);
  });
});
