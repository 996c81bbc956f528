/**
 * The browser mode's deck download, through the real engine host and engine: the package it
 * sends is a readable Anki package holding the deck's cards, the temporary copy is gone once
 * sent, and a wrong token or an unknown deck gets nothing.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deck, Note } from '../contract/index.js';
import { openAnkiPackage } from '../domains/study/anki/read-anki-package.js';
import { silentLogger } from '../logging/logger.js';
import { openTestCore, tempDir, type TestCore } from '../test-support/temp-core.js';
import { startEngineHost, type EngineHost } from './engine-host.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let host: EngineHost;
let deck: Deck;

beforeAll(async () => {
  dir = tempDir('lm-deck-export-');
  const uiDir = join(dir.path, 'ui');
  mkdirSync(uiDir);
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Little Monster</title>');
  core = await openTestCore(join(dir.path, 'data'));
  host = await startEngineHost({ core, uiDir, logger: silentLogger() });
  const { note } = await core.value<{ note: Note }>('study.notes.create', {
    content: { kind: 'basic', front: 'What is the powerhouse of the cell?', back: 'The mitochondrion' },
    tags: ['cells'],
  });
  deck = (await core.value<Deck[]>('study.decks', { deckId: note.deckId }))[0]!;
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  dir?.remove();
});

const exportUrl = (deckId: string, token: string | null = host.token) =>
  `http://127.0.0.1:${host.port}/exports/decks/${deckId}${token === null ? '' : `?token=${token}`}`;
const exportsLeft = () => {
  const folder = join(dir.path, 'data', 'cache', 'deck-exports');
  return existsSync(folder) ? readdirSync(folder) : [];
};

describe('GET /exports/decks/<deckId>', () => {
  it('sends the deck as an .apkg named after it, which reads back with its card', async () => {
    const res = await fetch(exportUrl(deck.id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''My%20cards.apkg");
    const saved = join(dir.path, 'downloaded.apkg');
    writeFileSync(saved, Buffer.from(await res.arrayBuffer()));
    const pkg = await openAnkiPackage(saved);
    try {
      const { notes, decks } = pkg.read();
      expect(decks.map((d) => d.path.join('::'))).toContain('My cards');
      expect(notes).toHaveLength(1);
      expect(notes[0]!.content).toMatchObject({ front: 'What is the powerhouse of the cell?' });
      expect(notes[0]!.tags).toEqual(['cells']);
    } finally {
      pkg.close();
    }
    expect(exportsLeft()).toEqual([]);
  });

  it('refuses a request without the token or with another, and makes no package', async () => {
    expect((await fetch(exportUrl(deck.id, null))).status).toBe(401);
    expect((await fetch(exportUrl(deck.id, 'not-the-token'))).status).toBe(401);
    expect(exportsLeft()).toEqual([]);
  });

  it('answers 404 with the reason for a deck that does not exist', async () => {
    const res = await fetch(exportUrl('00000000-0000-4000-8000-000000000000'));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/no longer exists/);
    expect(exportsLeft()).toEqual([]);
  });

  it('answers only GET', async () => {
    const res = await fetch(exportUrl(deck.id), {
      method: 'POST',
      headers: { Origin: `http://127.0.0.1:${host.port}` },
    });
    expect(res.status).toBe(405);
  });
});
