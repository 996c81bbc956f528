import type { EnginePort } from '../ai/engines/engine-provider.js';
import type { Lecture, Settings } from '../contract/index.js';

/**
 * Events between domains: how work crosses a domain's border without one domain calling into
 * another's tables. Unlike the contract's events (for the UI), these are delivered at once, in
 * order, on the emitter's stack: emitted inside a transaction, the subscribers' writes are part
 * of it, and a subscriber that throws rolls it back.
 */
export interface DomainEventMap {
  /** A class is being deleted, in its transaction: rows that name it move to no class. */
  'class.deleted': { id: string };
  /** A lecture was created, renamed or otherwise changed. */
  'lecture.changed': { lecture: Lecture };
  /** A lecture is being deleted, in its transaction: whatever belongs to it goes too. */
  'lecture.deleted': { id: string };
  /** A recording was stopped: its last words can be transcribed. */
  'lecture.stopped': { id: string };
  /** A recording was imported from a file, to be transcribed with this speech model (picked, installed). */
  'lecture.imported': { lecture: Lecture; speechModelId: string };
  'settings.changed': { settings: Settings; previous: Settings };
  /** A model was installed or deleted. */
  'models.changed': { id: string };
  /** What the engine provider would pick for these ports may have changed. */
  'engines.changed': { ports: EnginePort[] };
}

export type DomainEventName = keyof DomainEventMap;

/** What a domain does when another domain's event arrives, by event name. */
export type Subscriptions = { [E in DomainEventName]?: (payload: DomainEventMap[E]) => void };

export class DomainEvents {
  private readonly subscribers: Subscriptions[] = [];

  emit<E extends DomainEventName>(name: E, payload: DomainEventMap[E]): void {
    for (const subscriptions of this.subscribers) subscriptions[name]?.(payload);
  }

  subscribe(subscriptions: Subscriptions): () => void {
    this.subscribers.push(subscriptions);
    return () => {
      const at = this.subscribers.indexOf(subscriptions);
      if (at !== -1) this.subscribers.splice(at, 1);
    };
  }
}
