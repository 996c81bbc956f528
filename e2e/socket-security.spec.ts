import { createServer, type Server } from 'node:http';
import { expect, test } from './support/fixtures.js';
import { socketUrl, talk } from './support/raw-socket.js';

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
