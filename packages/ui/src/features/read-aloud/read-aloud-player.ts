import type { QueryClient } from '@tanstack/react-query';
import type { EventPayload } from '@little-monster/core/contract';
import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../transport/client';

type SentenceEvent = EventPayload<'readAloud.sentence'>;
type EndedEvent = EventPayload<'readAloud.ended'>;

export interface PlayingSentence {
  index: number;
  count: number;
  /** Where it is in the text being read. */
  start: number;
  end: number;
  /** Each word's place in the text being read and its time in this sentence's audio, if known. */
  words: SentenceEvent['words'];
}

export type ReadAloudStatus = 'idle' | 'starting' | 'playing' | 'paused' | 'waiting';

export interface ReadAloudState {
  status: ReadAloudStatus;
  /** What is being read (a message id, a material page), so its own control shows the player. */
  key: string | null;
  text: string;
  sentence: PlayingSentence | null;
  /** The word being spoken (an index into `sentence.words`), when the voice gives timings. */
  word: number | null;
  /** Why reading stopped, or what was left out. */
  message: string | null;
}

export interface ReadRequest {
  key: string;
  text: string;
  format: 'markdown' | 'plain';
  /** Start at this sentence (speed changes resume where the student was). */
  startAt?: number;
  speed?: number;
  /** Default: the voice chosen in Settings › Voices. */
  voiceId?: string;
}

interface QueuedSentence extends PlayingSentence {
  url: string;
}

const IDLE: ReadAloudState = {
  status: 'idle',
  key: null,
  text: '',
  sentence: null,
  word: null,
  message: null,
};

/**
 * Plays what the engine reads aloud: sentences arrive as WAV files while earlier ones play, and
 * are played in order through one <audio> element (mounted by the read-aloud bar), each freed
 * once it has played. One reading at a time, as in the engine.
 */
export class ReadAloudPlayer {
  readonly store = createStore<ReadAloudState>(() => IDLE);
  private audio: HTMLAudioElement | null = null;
  private readingId: string | null = null;
  private request: ReadRequest | null = null;
  private queue: QueuedSentence[] = [];
  private current: QueuedSentence | null = null;
  private engineDone = false;
  private client: EngineClient | null = null;
  /** Events that arrived before `readAloud.speak` answered with their reading's id. */
  private early: (SentenceEvent | EndedEvent)[] = [];

  /** The <audio> element sentences play through (null when it unmounts). */
  attach(audio: HTMLAudioElement | null): void {
    this.audio?.removeEventListener('ended', this.onEnded);
    this.audio?.removeEventListener('timeupdate', this.onTime);
    this.audio = audio;
    audio?.addEventListener('ended', this.onEnded);
    audio?.addEventListener('timeupdate', this.onTime);
  }

  async read(client: EngineClient, request: ReadRequest): Promise<void> {
    this.stop();
    this.client = client;
    this.request = request;
    this.store.setState({ ...IDLE, status: 'starting', key: request.key, text: request.text });
    try {
      const { readingId } = await client.call('readAloud.speak', {
        text: request.text,
        format: request.format,
        startAt: request.startAt ?? 0,
        ...(request.speed !== undefined && { speed: request.speed }),
        ...(request.voiceId !== undefined && { voiceId: request.voiceId }),
      });
      if (this.request !== request) {
        void client.call('readAloud.stop', { readingId }).catch(() => undefined);
        return;
      }
      this.readingId = readingId;
      const early = this.early.filter((event) => event.readingId === readingId);
      this.early = [];
      for (const event of early) this.receive(event);
    } catch (error) {
      if (this.request !== request) return;
      this.request = null;
      this.store.setState({ ...IDLE, message: (error as Error).message });
    }
  }

  /** Reads the same text again from the sentence being spoken, at another speed. */
  async changeSpeed(client: EngineClient, speed: number): Promise<void> {
    const { request } = this;
    if (!request) return;
    await this.read(client, { ...request, speed, startAt: this.store.getState().sentence?.index ?? 0 });
  }

  pause(): void {
    if (this.store.getState().status !== 'playing') return;
    this.audio?.pause();
    this.store.setState({ status: 'paused' });
  }

  resume(): void {
    if (this.store.getState().status !== 'paused') return;
    if (this.current) {
      this.store.setState({ status: 'playing' });
      void this.audio?.play().catch(this.onPlayFailed);
    } else this.playNext();
  }

  stop(): void {
    if (this.readingId && this.client && !this.engineDone)
      void this.client.call('readAloud.stop', { readingId: this.readingId }).catch(() => undefined);
    this.audio?.pause();
    this.audio?.removeAttribute('src');
    for (const sentence of [...this.queue, ...(this.current ? [this.current] : [])])
      URL.revokeObjectURL(sentence.url);
    this.queue = [];
    this.current = null;
    this.readingId = null;
    this.request = null;
    this.engineDone = false;
    this.early = [];
    this.store.setState(IDLE);
  }

  /** An engine event of a reading. */
  receive(event: SentenceEvent | EndedEvent): void {
    if (!this.readingId) {
      if (this.request) this.early.push(event);
      return;
    }
    if (event.readingId !== this.readingId) return;
    if ('wav' in event) {
      this.queue.push({
        index: event.index,
        count: event.count,
        start: event.source.start,
        end: event.source.end,
        words: event.words,
        url: URL.createObjectURL(new Blob([base64Bytes(event.wav)], { type: 'audio/wav' })),
      });
      if (!this.current && this.store.getState().status !== 'paused') this.playNext();
      return;
    }
    this.engineDone = true;
    if (event.reason === 'failed' || event.message) this.store.setState({ message: event.message });
    if (event.reason !== 'finished') this.finish(event.message);
    else if (!this.current && this.queue.length === 0) this.finish(event.message);
  }

  private playNext(): void {
    if (this.current) URL.revokeObjectURL(this.current.url);
    this.current = this.queue.shift() ?? null;
    if (!this.current) {
      if (this.engineDone) this.finish(this.store.getState().message);
      else this.store.setState({ status: 'waiting' });
      return;
    }
    const { url, ...sentence } = this.current;
    this.store.setState({ status: 'playing', sentence, word: null });
    // The engine keeps only a few sentences ahead of the one heard.
    if (this.client && this.readingId)
      void this.client
        .call('readAloud.played', { readingId: this.readingId, index: sentence.index })
        .catch(() => undefined);
    if (!this.audio) return;
    this.audio.src = url;
    void this.audio.play().catch(this.onPlayFailed);
  }

  private finish(message: string | null): void {
    const { key, text } = this.store.getState();
    this.stop();
    if (message) this.store.setState({ key, text, message });
  }

  private readonly onEnded = () => this.playNext();

  private readonly onTime = () => {
    const words = this.current?.words;
    if (!words || !this.audio) return;
    const time = this.audio.currentTime;
    const word = words.findIndex((entry) => time >= entry.startSec && time < entry.endSec);
    if (word !== -1 && word !== this.store.getState().word) this.store.setState({ word });
  };

  /** The audio device went away, or the browser refused to play. */
  private readonly onPlayFailed = (error: unknown) => {
    if ((error as Error).name === 'AbortError') return; // a newer sentence or a stop interrupted it
    this.audio?.pause();
    this.store.setState({
      status: 'paused',
      message: `The sound could not be played (${(error as Error).message}). Check your speakers, then press Resume.`,
    });
  };
}

function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// One per app instance: each <App> has its own QueryClient, and events reach the player through it.
const players = new WeakMap<QueryClient, ReadAloudPlayer>();

export function readAloudPlayer(queryClient: QueryClient): ReadAloudPlayer {
  let player = players.get(queryClient);
  if (!player) {
    player = new ReadAloudPlayer();
    players.set(queryClient, player);
  }
  return player;
}
