import { useCallback, useSyncExternalStore } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { TutorMessage } from '@little-monster/core/contract';
import { addPiece, EMPTY_STREAM, joinStreamed, type StreamedText } from './streamed-text';

const nextFrame: (run: () => void) => unknown =
  typeof requestAnimationFrame === 'function'
    ? (run) => requestAnimationFrame(run)
    : (run) => setTimeout(run, 16);

/**
 * The text of answers being written, outside react-query so that a token does not re-render
 * every reader of the conversation: only the message being written listens. Pieces are
 * applied as they arrive but published at most once per animation frame, so however fast the
 * model writes, the answer is re-rendered (and its markdown re-parsed) once per frame at most.
 */
export class TutorStreams {
  private readonly working = new Map<string, StreamedText>();
  private readonly published = new Map<string, StreamedText>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly dirty = new Set<string>();
  private scheduled = false;

  receive(messageId: string, offset: number, text: string): void {
    const before = this.working.get(messageId) ?? EMPTY_STREAM;
    const after = addPiece(before, offset, text);
    if (after === before) return;
    this.working.set(messageId, after);
    this.dirty.add(messageId);
    if (!this.scheduled) {
      this.scheduled = true;
      nextFrame(() => this.publish());
    }
  }

  /** Drops what was received for a message: it ended (its own text is final) or starts again. */
  forget(messageId: string): void {
    this.working.delete(messageId);
    this.dirty.delete(messageId);
    if (this.published.delete(messageId)) this.notify(messageId);
  }

  snapshot = (messageId: string): StreamedText => this.published.get(messageId) ?? EMPTY_STREAM;

  subscribe(messageId: string, listener: () => void): () => void {
    const set = this.listeners.get(messageId) ?? new Set();
    set.add(listener);
    this.listeners.set(messageId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(messageId);
    };
  }

  private publish() {
    this.scheduled = false;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const state = this.working.get(id);
      if (!state) continue;
      this.published.set(id, state);
      this.notify(id);
    }
  }

  private notify(messageId: string) {
    for (const listener of this.listeners.get(messageId) ?? []) listener();
  }
}

// One per app instance: each <App> has its own QueryClient, and events reach both through it.
const streamsByClient = new WeakMap<QueryClient, TutorStreams>();

export function tutorStreams(queryClient: QueryClient): TutorStreams {
  let streams = streamsByClient.get(queryClient);
  if (!streams) {
    streams = new TutorStreams();
    streamsByClient.set(queryClient, streams);
  }
  return streams;
}

export const isLive = (message: Pick<TutorMessage, 'status'>) =>
  message.status === 'pending' || message.status === 'streaming';

const noSubscription = () => () => undefined;

/** The message's text as far as it has been written: streamed pieces while live, its own text once ended. */
export function useMessageText(message: TutorMessage): string {
  const streams = tutorStreams(useQueryClient());
  const live = isLive(message);
  const id = message.id;
  const subscribe = useCallback(
    (listener: () => void) => (live ? streams.subscribe(id, listener) : noSubscription()),
    [streams, id, live],
  );
  const getSnapshot = useCallback(() => (live ? streams.snapshot(id) : EMPTY_STREAM), [streams, id, live]);
  const streamed = useSyncExternalStore(subscribe, getSnapshot);
  return live ? joinStreamed(message.text, streamed) : message.text;
}
