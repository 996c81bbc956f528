import { createServer, type Server } from 'node:http';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import type { RunningEngine } from './support/engine.js';

/** Opens a socket from inside the page and sends raw frames, returning what came back. */
function talk(page: Page, url: string, frames: string[]) {
  return page.evaluate(
    ({ url, frames }) =>
      new Promise<{ opened: boolean; replies: unknown[]; closeCode: number | null }>((resolve) => {
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

const socketUrl = (engine: RunningEngine, token = engine.token) =>
  `ws://127.0.0.1:${engine.port}/rpc?token=${token}`;

test('a malformed call over the socket gets INVALID_INPUT and changes nothing', async ({ page, engine }) => {
  await page.goto(engine.current.url);
  const outcome = await talk(page, socketUrl(engine.current), [
    '{"type":"call","id":1,"method":"classes.create","input":{"name":"","color":"red"}}',
    'this is not json',
    '{"type":"call","id":3,"method":"classes.destroyEverything","input":{}}',
    '{"type":"call","id":4,"method":"classes.list","input":{"includeArchived":true}}',
  ]);
  expect(outcome.opened).toBe(true);
  // Answers may come in any order: a malformed frame is answered at once, calls when they finish.
  expect(outcome.replies).toHaveLength(4);
  expect(outcome.replies).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        id: 1,
        result: expect.objectContaining({
          ok: false,
          error: expect.objectContaining({ code: 'INVALID_INPUT' }),
        }),
      }),
      expect.objectContaining({
        id: -1,
        result: expect.objectContaining({
          ok: false,
          error: expect.objectContaining({ code: 'INVALID_INPUT' }),
        }),
      }),
      expect.objectContaining({
        id: 3,
        result: expect.objectContaining({
          ok: false,
          error: expect.objectContaining({ code: 'INVALID_INPUT' }),
        }),
      }),
      { type: 'result', id: 4, result: { ok: true, value: [] } },
    ]),
  );
});

test('a socket with a wrong token is refused', async ({ page, engine }) => {
  await page.goto(engine.current.url);
  const outcome = await talk(page, socketUrl(engine.current, 'guessed-token'), []);
  expect(outcome.opened).toBe(false);
});

test('a page from another origin cannot open the socket, even knowing the token', async ({
  page,
  engine,
}) => {
  const foreign: Server = createServer((_req, res) =>
    res.end('<!doctype html><title>Some other site</title>'),
  );
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  const { port } = foreign.address() as { port: number };
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    const outcome = await talk(page, socketUrl(engine.current), []);
    expect(outcome.opened).toBe(false);
  } finally {
    foreign.close();
  }
});
