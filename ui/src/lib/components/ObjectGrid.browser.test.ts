// The object grid's kind icons in real Chromium: each file shows the icon of
// its kind, and its kind is said in words to a screen reader, in each language.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Language } from '../bindings/Language';
import type { ObjectEntry } from '../bindings/ObjectEntry';
import { StaticModel } from '../browser/models.svelte';
import { Selection } from '../browser/selection.svelte';
import '../design/tokens.css';
import { applyLanguage } from '../i18n.svelte';
import { until } from '../../test/until';
import ObjectGrid from './ObjectGrid.svelte';

let host: HTMLDivElement;
let component: ReturnType<typeof mount> | null = null;

const folder = (name: string): ObjectEntry => ({ key: `${name}/`, name, kind: 'folder', size: null, modified: null, storageClass: null });
const file = (name: string): ObjectEntry => ({ key: name, name, kind: 'object', size: 1000, modified: null, storageClass: null });

async function render(entries: ObjectEntry[], lang: Language) {
  applyLanguage(lang);
  component = mount(ObjectGrid, {
    target: host,
    props: {
      model: new StaticModel(entries),
      sort: { by: 'name', descending: false, foldersFirst: false },
      lang,
      label: 'photos',
      onsort: () => {},
      onopen: () => {},
      selection: new Selection(),
    },
  });
  flushSync();
  await until(() => rows().length === entries.length, 'every row on screen');
}

const rows = () => host.querySelectorAll('[role="grid"] .body [role="row"]');

/** Each row's icon and the words a screen reader hears for it, before the name. */
function kinds() {
  return [...rows()].map((row) => {
    const icon = row.querySelector('.kind svg')!;
    return {
      name: row.querySelector('.text')!.textContent,
      icon: [...icon.classList].find((c) => c.startsWith('icon-')),
      said: icon.getAttribute('role') === 'img' ? icon.getAttribute('aria-label') : null,
    };
  });
}

beforeEach(() => {
  host = document.createElement('div');
  host.style.cssText = 'width: 700px; height: 500px;';
  document.body.appendChild(host);
});

afterEach(() => {
  if (component) unmount(component);
  component = null;
  host.remove();
  applyLanguage('en');
});

it('shows each file with the icon of its kind and names the kind in words', async () => {
  await render([folder('2026'), file('photo.JPG'), file('report.pdf'), file('budget.xlsx'), file('backup.tar.gz'), file('notes'), file('main.rs')], 'en');
  expect(kinds()).toEqual([
    { name: '2026', icon: 'icon-folder', said: 'Folder' },
    { name: 'photo.JPG', icon: 'icon-file-image', said: 'Image' },
    { name: 'report.pdf', icon: 'icon-file-pdf', said: 'PDF document' },
    { name: 'budget.xlsx', icon: 'icon-file-spreadsheet', said: 'Spreadsheet' },
    { name: 'backup.tar.gz', icon: 'icon-file-archive', said: 'Archive' },
    { name: 'notes', icon: 'icon-file', said: 'File' },
    { name: 'main.rs', icon: 'icon-file-code', said: 'Code' },
  ]);
});

it('names the kinds in Kazakh and Russian too', async () => {
  const entries = [folder('Есептер'), file('Отчёт.docx'), file('бейне.mp4'), file('ән.mp3'), file('слайдтар.pptx')];
  await render(entries, 'kk');
  expect(kinds().map((k) => k.said)).toEqual(['Қалта', 'Құжат', 'Бейне', 'Аудио', 'Презентация']);
  unmount(component!);
  await render(entries, 'ru');
  expect(kinds().map((k) => k.said)).toEqual(['Папка', 'Документ', 'Видео', 'Аудио', 'Презентация']);
});
