import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { recordedTime, secondsOf } from './microphone.js';
import { goTo } from './navigation.js';

/** The Lectures list, the recorder, and a lecture's own page. */
export class LecturesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await goTo(this.page, 'Lectures');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Lectures' })).toBeVisible();
  }

  lecture(title: string): Locator {
    return this.page.getByRole('list', { name: 'Lectures' }).getByRole('listitem', { name: title });
  }

  async openRecorder(): Promise<void> {
    await this.open();
    await this.page.getByRole('link', { name: 'Record a lecture' }).first().click();
  }

  /** Shown while no speech model is installed. */
  speechModelSetup(): Locator {
    return this.page.getByRole('region', { name: 'Transcripts need a speech model' });
  }

  /** Records from the (fake) microphone until at least `seconds` are on the clock. */
  async recordFor(title: string, seconds: number): Promise<void> {
    await this.openRecorder();
    await this.page.getByLabel('Title').fill(title);
    await this.page.getByRole('button', { name: 'Start recording' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: /^Recording$/ })).toBeVisible({
      timeout: 30_000,
    });
    await expect
      .poll(async () => secondsOf(await recordedTime(this.page).innerText()), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(seconds);
  }

  /** The captions written while recording. */
  captions(): Locator {
    return this.page.getByRole('list', { name: 'Captions' }).getByRole('listitem');
  }

  /** Stops the recording and waits for the saved lecture's page. */
  async stopAndOpen(title: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Stop and save' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible({ timeout: 30_000 });
  }

  // On a lecture's page:

  transcriptLines(): Locator {
    return this.page.getByRole('list', { name: 'Transcript' }).getByRole('listitem');
  }

  /** The lecture's player (not the app's hidden read-aloud audio). */
  private player(): Locator {
    return this.page.locator('audio.lecture-audio');
  }

  /** The player's duration once the browser has read the file (0 until then). */
  audioDuration(): Promise<number> {
    return this.player().evaluate((audio: HTMLAudioElement) =>
      Number.isFinite(audio.duration) ? audio.duration : 0,
    );
  }

  audioPosition(): Promise<number> {
    return this.player().evaluate((audio: HTMLAudioElement) => audio.currentTime);
  }

  /** Clicks a transcript line; answers the second it starts at, as its time label reads. */
  async playFrom(line: Locator): Promise<number> {
    const [minutes, seconds] = (await line.locator('.segment-time').innerText()).split(':').map(Number) as [
      number,
      number,
    ];
    await line.locator('.segment-line').click();
    return minutes * 60 + seconds;
  }

  async export(format: 'txt' | 'srt' | 'vtt' | 'md'): Promise<Download> {
    const download = this.page.waitForEvent('download');
    // The transcript's own export form: the notes pane beside it has formatting tools too.
    const form = this.page.getByRole('form', { name: 'Export the transcript' });
    await form.getByLabel('Format').selectOption(format);
    await form.getByRole('button', { name: 'Export' }).click();
    return download;
  }
}
