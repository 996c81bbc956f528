import type { Page } from '@playwright/test';
import type { RunningEngine } from './engine.js';

export interface SocketOutcome {
  opened: boolean;
  replies: unknown[];
  closeCode: number | null;
}

/** The engine's WebSocket address with a token (the real one unless another is given). */
export const socketUrl = (engine: RunningEngine, token = engine.token) =>
  `ws://127.0.0.1:${engine.port}/rpc?token=${token}`;

/** Opens a socket from inside the page and sends raw frames, returning what came back. */
export function talk(page: Page, url: string, frames: string[]): Promise<SocketOutcome> {
  return page.evaluate(
    ({ url, frames }) =>
      new Promise<SocketOutcome>((resolve) => {
        const ws = new WebSocket(url);
        const replies: unknown[] = [];
        let opened = false;
        ws.onopen = () => {
          opened = true;
          for (const frame of frames) ws.send(frame);
        };
        ws.onmessage = (message) => {
          const frame = JSON.parse(String(message.data)) as { type: string };
          if (frame.type === 'result') replies.push(frame);
          if (replies.length === frames.length) ws.close();
        };
        ws.onclose = (event) => resolve({ opened, replies, closeCode: event.code });
      }),
    { url, frames },
  );
}
