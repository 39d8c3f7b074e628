// The words of the tray and of the "still working" notification. The shell
// sums up the work under way; the window, which holds the translations,
// words that summary in its language and sends the words back, again
// whenever the summary or the language changes.
import * as m from '../paraglide/messages.js';
import type { BackgroundApi } from './api';
import { formatNumber, formatPercent } from './format';
import { i18n } from './i18n.svelte';
import type { BackgroundSummary } from './shell-bindings/BackgroundSummary';
import type { BackgroundTexts } from './shell-bindings/BackgroundTexts';

export const IDLE: BackgroundSummary = {
  transfers: 0,
  paused: 0,
  percent: 0,
  folders: 0,
  folderFiles: 0,
  foldersPaused: 0,
  foldersNeedYou: 0,
  foldersOffline: 0,
};

/**
 * "Qoima — 2 transfers, 42 %", in the current language: what the person
 * would most want to know first, transfers before folders and anything that
 * waits for them before what runs by itself.
 */
export function backgroundStatus(summary: BackgroundSummary): string {
  const lang = i18n.lang;
  const count = (count: number) => ({ count, n: formatNumber(count, lang) });
  if (summary.transfers > 0) {
    const percent = formatPercent(summary.percent, 100, lang);
    return m.tray_status_active({ ...count(summary.transfers), percent });
  }
  if (summary.foldersNeedYou > 0) return m.tray_status_folders_need_you(count(summary.foldersNeedYou));
  if (summary.foldersOffline > 0) return m.tray_status_folders_offline();
  if (summary.folderFiles > 0) return m.tray_status_folder_files(count(summary.folderFiles));
  if (summary.folders > 0) return m.tray_status_folders(count(summary.folders));
  if (summary.paused > 0) return m.tray_status_paused(count(summary.paused));
  if (summary.foldersPaused > 0) return m.tray_status_folders_paused(count(summary.foldersPaused));
  return m.tray_status_idle();
}

export function backgroundTexts(summary: BackgroundSummary): BackgroundTexts {
  // With only folders at work, the notice speaks of syncing, not transfers.
  const syncOnly = summary.transfers === 0 && summary.folders > 0;
  return {
    open: m.tray_open(),
    pauseAll: m.tray_pause_all(),
    resumeAll: m.tray_resume_all(),
    quit: m.tray_quit(),
    status: backgroundStatus(summary),
    stillWorkingTitle: m.still_working_title(),
    stillWorkingInTray: syncOnly ? m.still_syncing_in_tray() : m.still_working_in_tray(),
    stillWorkingMinimized: syncOnly ? m.still_syncing_minimized() : m.still_working_minimized(),
  };
}

/** Keeps the shell's words for the tray in step with the summary and the language. */
export class BackgroundWords {
  #summary: BackgroundSummary = IDLE;
  #sent: string | null = null;
  #unlisten: (() => void) | null = null;
  // Nothing is sent before `start`: the window's language is known by then.
  #stopped = true;

  constructor(readonly api: BackgroundApi) {}

  async start(): Promise<void> {
    this.#stopped = false;
    let heard = false;
    try {
      const unlisten = await this.api.backgroundListen((summary) => {
        heard = true;
        this.#summary = summary;
        this.update();
      });
      if (this.#stopped) {
        unlisten();
        return;
      }
      this.#unlisten = unlisten;
      const first = await this.api.backgroundSummary();
      // An event is newer than the answer to a request sent before it.
      if (!heard && !this.#stopped) this.#summary = first;
    } catch {
      // Without the summary the tray still offers Open and Quit.
    }
    this.update();
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Sends the words for the current summary and language, when they changed. */
  update(): void {
    if (this.#stopped) return;
    const texts = backgroundTexts(this.#summary);
    const key = JSON.stringify(texts);
    if (key === this.#sent) return;
    this.#sent = key;
    this.api.backgroundTextsSet(texts).catch(() => {
      // Sent again with the next change.
      this.#sent = null;
    });
  }
}
