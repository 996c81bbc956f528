import { EventEmitter } from 'node:events';
import type { EngineEvent, EventName, EventPayload } from '../contract/index.js';

export type EventListener = (event: EngineEvent) => void;

/** Engine events fan out to every transport; a failing listener never breaks the emitter. */
export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', { name, payload } as EngineEvent);
  }

  subscribe(listener: EventListener): () => void {
    const safe = (event: EngineEvent) => {
      try {
        listener(event);
      } catch {
        // A transport that cannot deliver drops the event; the engine goes on.
      }
    };
    this.emitter.on('event', safe);
    return () => this.emitter.off('event', safe);
  }
}
