import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lecture } from '../contract/index.js';
import { recordLikeMediaRecorder, SPEECH_WAV } from '../domains/lectures/test-support/webm-fixture.js';
import { silentLogger } from '../logging/logger.js';
import { connectSocket } from '../test-support/socket-client.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../test-support/temp-core.js';
import {
  endBrowserSession,
  hashToken,
  readBrowserSession,
  saveBrowserSession,
  SESSION_FILE,
} from './browser-session.js';
import { startEngineHost, type EngineHost } from './engine-host.js';

let dir: ReturnType<typeof tempDir>;
let dataDir: string;
let uiDir: string;
let core: TestCore;
const hosts: EngineHost[] = [];

beforeEach(async () => {
  dir = tempDir();
  dataDir = join(dir.path, 'data');
  uiDir = join(dir.path, 'ui');
  mkdirSync(uiDir);
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Little Monster</title>');
  core = await openTestCore(dataDir, { recordingGraceMs: 200 });
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  await core.close();
  dir.remove();
});

async function host(options: { port?: number; acceptedTokenHashes?: string[] } = {}): Promise<EngineHost> {
  const started = await startEngineHost({ core, uiDir, logger: silentLogger(), ...options });
  hosts.push(started);
  return started;
}

describe('the browser mode across an engine restart', () => {
  it('keeps only the port and hashes of the tokens, never a token, and forgets them at a clean stop', async () => {
    await saveBrowserSession(dataDir, null, 47_901, 'first-token');
    await saveBrowserSession(dataDir, readBrowserSession(dataDir), 47_902, 'second-token');
    const text = readFileSync(join(dataDir, SESSION_FILE), 'utf8');
    expect(text).not.toContain('token"');
    expect(text).not.toMatch(/first-token|second-token/);
    expect(readBrowserSession(dataDir)).toEqual({
      port: 47_902,
      tokenHashes: [hashToken('first-token'), hashToken('second-token')],
    });
    endBrowserSession(dataDir);
    expect(readBrowserSession(dataDir)).toBeNull();
  });

  it('lets a tab of the crashed engine back in with its old token, on the same port; other tokens stay out', async () => {
    const before = await host();
    const oldToken = before.token;
    await before.close();
    hosts.length = 0;
    const after = await host({ port: before.port, acceptedTokenHashes: [hashToken(oldToken)] });
    expect(after.port).toBe(before.port);
    const tab = await connectSocket(after.port, oldToken);
    expect((await tab.call('settings.get', {})).ok).toBe(true);
    tab.close();
    await expect(connectSocket(after.port, 'x'.repeat(32))).rejects.toThrow('HTTP 401');
  });

  it('recovers a recording whose tab closed its connection and sent nothing more', async () => {
    const served = await host();
    const speech = await recordLikeMediaRecorder(SPEECH_WAV);
    const tab = await connectSocket(served.port, served.token);
    const started = await tab.call('lectures.start', { classId: null, mimeType: 'audio/webm;codecs=opus' });
    const { id } = (started as { ok: true; value: Lecture }).value;
    for (const seq of [0, 1, 2, 3]) {
      expect(
        (await tab.call('lectures.appendChunk', { id, seq, data: speech.chunks[seq]!.toString('base64') }))
          .ok,
      ).toBe(true);
    }
    tab.close();
    await waitFor(
      () => core.events.some((event) => event.name === 'lectures.recovered'),
      (said) => said,
    );
    const lecture = (await core.value<{ lecture: Lecture }>('lectures.get', { id })).lecture;
    expect(lecture).toMatchObject({ status: 'recovered', recoveryNotice: true, lastSeq: 3 });
    expect(lecture.durationMs).toBeGreaterThan(0);
  });
});
