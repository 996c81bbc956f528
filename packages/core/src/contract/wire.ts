import type { EngineEvent } from './index.js';
import type { Result } from './errors.js';

/** Frames exchanged over a socket or a message port; the same shapes for every transport. */
export interface CallFrame {
  type: 'call';
  id: number;
  method: string;
  input: unknown;
}

export type ServerFrame =
  { type: 'result'; id: number; result: Result<unknown> } | { type: 'event'; event: EngineEvent };

/** Close code the WebSocket host uses when a frame is larger than MAX_MESSAGE_BYTES. */
export const CLOSE_MESSAGE_TOO_BIG = 1009;
