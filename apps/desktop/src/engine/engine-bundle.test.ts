/**
 * The built engine bundle (what the app ships in dist/engine) running the real core, driven by
 * the real EngineHost. Electron cannot run here, so the bundle runs in a Node child process
 * whose `process.parentPort` is the child_process channel; everything else is what ships.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent, Result, RpcError } from '@little-monster/core/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../main/engine-host.js';
import { respondWithMaterialFile, respondWithRecordingFile } from '../main/material-files.js';
import { materialFileUrl, recordingFileUrl } from '../shared/material-file-url.js';
import { RestartPolicy } from '../main/restart-policy.js';
import type { EngineInit } from '../shared/engine-protocol.js';
import type { EngineStatus } from '../shared/ipc-channels.js';
import { fixture } from '../test-support/fixtures.js';
import { forkNodeEngine } from '../test-support/node-engine-process.js';
import { makeWhisperModel, WHISPER_SHAPES } from '../../../../scripts/fixtures/make-whisper-model.js';
import { electronBuildDir, electronBuildStamp } from '../../scripts/electron-native-layout.mjs';
import { writeModelCatalog } from '../../../../scripts/fixtures/model-catalog.js';

const desktopDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = join(desktopDir, '..', '..');

/** 11 s of real speech. */
const speechWav = fixture('audio/jfk.wav');

let outDir: string;
let dataRoot: string;
let engineBundle: string;

beforeAll(() => {
  // Inside the workspace, so the bundle finds the native packages in node_modules as it does when shipped.
  const cache = join(desktopDir, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  // An app folder of its own: its dist/ holds the bundle, as apps/desktop/dist does.
  outDir = mkdtempSync(join(cache, 'engine-bundle-'));
  execFileSync(process.execPath, ['build.mjs', 'engine', `--outdir=${join(outDir, 'dist')}`], {
    cwd: desktopDir,
    stdio: 'pipe',
  });
  engineBundle = join(outDir, 'dist', 'engine', 'engine.js');
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

const hosts: EngineHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
  rmSync(dataRoot, { recursive: true, force: true });
});

function initFor(root: string): EngineInit {
  return {
    dataDir: join(root, 'data'),
    logsDir: join(root, 'data', 'logs'),
    modelsDir: join(root, 'models'),
    resourcesDir: join(repoRoot, 'resources'),
    migrationsDir: join(repoRoot, 'packages', 'core', 'drizzle'),
    modelCatalogFile: join(repoRoot, 'models', 'catalog.json'),
    appVersion: '0.0.0-test',
    hostVersions: { electron: 'test' },
    logLevel: 'warn',
  };
}

function startHost(init: EngineInit, options: { electronVersion?: string } = {}) {
  const statuses: EngineStatus[] = [];
  const events: EngineEvent[] = [];
  const children: ReturnType<typeof forkNodeEngine>[] = [];
  let startupFailure: (error: RpcError) => void = () => {};
  const startupFailed = new Promise<RpcError>((resolve) => (startupFailure = resolve));
  const host = new EngineHost({
    fork: () => {
      const child = forkNodeEngine(engineBundle, options);
      children.push(child);
      return child;
    },
    init,
    onStatus: (status) => statuses.push(status),
    onEvent: (event) => events.push(event),
    onStartupFailed: (error) => startupFailure(error),
    onGaveUp: () => {},
    restartPolicy: new RestartPolicy({ maxCrashes: 3, windowMs: 60_000, baseDelayMs: 50, maxDelayMs: 200 }),
  });
  hosts.push(host);
  host.start();
  return { host, statuses, events, children, startupFailed };
}

const valueOf = (result: Result<unknown>) => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

async function waitFor<T>(check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the engine bundle', () => {
  it('run by Electron from the repository, loads the Electron build of better-sqlite3 from .electron-native/', async () => {
    // What prepare-electron-native.mjs makes, beside the app the bundle belongs to; this "build"
    // notes that it was loaded, then hands over the real (Node) one so the engine can run.
    const electronVersion = '99.0.0-test';
    const electronBuild = electronBuildDir(outDir, electronVersion, 'better-sqlite3');
    mkdirSync(electronBuild, { recursive: true });
    const nodeBuild = dirname(
      createRequire(join(repoRoot, 'package.json')).resolve('better-sqlite3/package.json'),
    );
    writeFileSync(join(electronBuild, 'package.json'), '{ "main": "index.js" }');
    writeFileSync(
      join(electronBuild, 'index.js'),
      `require('node:fs').appendFileSync(__dirname + '/loaded-by', process.pid + '\\n');\n` +
        `module.exports = require(${JSON.stringify(nodeBuild)});\n`,
    );
    const loadedBy = () => readFileSync(join(electronBuild, 'loaded-by'), 'utf8').trim().split('\n');

    // Without the stamp (a build that did not finish) it is not used.
    dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
    const unfinished = startHost(initFor(dataRoot), { electronVersion });
    expect(valueOf(await unfinished.host.call('classes.list', {}))).toEqual([]);
    expect(existsSync(join(electronBuild, 'loaded-by'))).toBe(false);
    await unfinished.host.stop();

    writeFileSync(electronBuildStamp(electronBuild), '{}');
    const { host, children } = startHost(initFor(dataRoot), { electronVersion });
    expect(valueOf(await host.call('classes.list', {}))).toEqual([]);
    expect(loadedBy()).toEqual([String(children[0]!.child.pid)]);

    // Node (the tests, the browser mode) keeps loading node_modules' own build.
    await host.stop();
    const { host: underNode } = startHost(initFor(dataRoot));
    expect(valueOf(await underNode.call('classes.list', {}))).toEqual([]);
    expect(loadedBy()).toHaveLength(1);
  });

  it('opens the data folder it is given and answers calls', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
    const init = initFor(dataRoot);
    const { host } = startHost(init);

    const info = valueOf(await host.call('app.info', {})) as {
      paths: Record<string, string>;
      appVersion: string;
    };
    expect(info.appVersion).toBe('0.0.0-test');
    expect(info.paths).toMatchObject({ data: init.dataDir, models: init.modelsDir });
    expect(valueOf(await host.call('classes.list', {}))).toEqual([]);
  });

  it('runs the core’s worker threads from the bundle (a backup)', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
    const { host, events } = startHost(initFor(dataRoot));

    const { jobId } = valueOf(await host.call('backups.create', {})) as { jobId: string };
    const finished = await waitFor(() =>
      events.find(
        (event) =>
          event.name === 'job.updated' &&
          event.payload.job.id === jobId &&
          ['succeeded', 'failed'].includes(event.payload.job.status),
      ),
    );
    expect(finished).toMatchObject({ payload: { job: { status: 'succeeded' } } });
    expect(valueOf(await host.call('backups.list', {}))).toHaveLength(1);
  });

  it('tells main where a material’s original is, and main serves it to the window', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
    const { host } = startHost(initFor(dataRoot));
    const text = 'Le Chatelier: a system at equilibrium shifts to counteract a change.';
    const { materialId } = valueOf(
      await host.call('materials.pasteText', { title: 'Equilibrium', text }),
    ) as { materialId: string };

    const found = valueOf(await host.materialFile(materialId)) as { path: string; mimeType: string };
    expect(found.path.startsWith(join(dataRoot, 'data'))).toBe(true);
    expect(found.mimeType).toBe('text/plain');

    const lookup = (id: string) => host.materialFile(id);
    const response = await respondWithMaterialFile(new Request(materialFileUrl(materialId)), lookup);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe(text);

    const unknown = '3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f';
    await expect(host.materialFile(unknown)).resolves.toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const missing = await respondWithMaterialFile(new Request(materialFileUrl(unknown)), lookup);
    expect(missing.status).toBe(404);
  });

  it('tells main where a lecture’s recording is, and main serves the part a player asks for', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
    const { host } = startHost(initFor(dataRoot));
    const lecture = valueOf(await host.call('lectures.start', { mimeType: 'audio/webm;codecs=opus' })) as {
      id: string;
    };
    // The recorder's first chunk: it starts with WebM's EBML header; its bytes are what is checked.
    const chunk = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(2044, 7)]);
    chunk.writeUInt32BE(0xdeadbeef, 1000);
    valueOf(
      await host.call('lectures.appendChunk', { id: lecture.id, seq: 0, data: chunk.toString('base64') }),
    );

    const found = valueOf(await host.recordingFile(lecture.id)) as { path: string; mimeType: string };
    expect(found.path.startsWith(join(dataRoot, 'data'))).toBe(true);
    expect(found.mimeType).toBe('audio/webm;codecs=opus');

    const lookup = (id: string) => host.recordingFile(id);
    const request = new Request(recordingFileUrl(lecture.id), { headers: { Range: 'bytes=1000-1003' } });
    const response = await respondWithRecordingFile(request, lookup);
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 1000-1003/${chunk.length}`);
    expect(Buffer.from(await response.arrayBuffer()).readUInt32BE(0)).toBe(0xdeadbeef);

    const unknown = '3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f';
    await expect(host.recordingFile(unknown)).resolves.toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const missing = await respondWithRecordingFile(new Request(recordingFileUrl(unknown)), lookup);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/no longer exists/);
  });

  it(
    'imports and transcribes an MP3 with the decoders, Silero VAD and whisper.cpp as shipped',
    { timeout: 120_000 },
    async () => {
      dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
      // A 44.1 kHz stereo MP3: the WebAssembly MP3 decoder and the resampler, not only WAV parsing.
      // ffmpeg (a test-only system package) makes it; the app never runs ffmpeg.
      const mp3 = join(dataRoot, 'Week 3 lecture.mp3');
      if (spawnSync('ffmpeg', ['-version']).error)
        throw new Error('ffmpeg is needed: scripts/install-system-deps.sh');
      execFileSync('ffmpeg', [
        '-loglevel',
        'error',
        '-i',
        speechWav,
        '-ar',
        '44100',
        '-ac',
        '2',
        '-b:a',
        '96k',
        mp3,
      ]);
      // A generated whisper model (FIXTURES.md): real whisper.cpp, gibberish text.
      const model = makeWhisperModel(join(dataRoot, 'whisper-test.bin'), WHISPER_SHAPES.tiny).path;
      const modelCatalogFile = writeModelCatalog(dataRoot, [
        { id: 'whisper-test', kind: 'stt', file: model, name: 'Whisper test' },
      ]);
      const { host, events } = startHost({ ...initFor(dataRoot), modelCatalogFile });
      valueOf(await host.call('models.installFromFile', { id: 'whisper-test', path: model }));

      const { lecture, jobId } = valueOf(
        await host.call('lectures.importAudio', { source: { kind: 'path', path: mp3 } }),
      ) as { lecture: { id: string; durationMs: number }; jobId: string };
      expect(lecture.durationMs).toBeGreaterThan(10_000);
      const finished = await waitFor(
        () =>
          events.find(
            (event) =>
              event.name === 'job.updated' &&
              event.payload.job.id === jobId &&
              ['succeeded', 'failed', 'cancelled'].includes(event.payload.job.status),
          ),
        110_000,
      );
      expect(finished).toMatchObject({ payload: { job: { status: 'succeeded' } } });
      const transcript = valueOf(await host.call('transcripts.get', { lectureId: lecture.id })) as {
        status: { state: string };
        segments: { startMs: number; endMs: number }[];
      };
      expect(transcript.status.state).toBe('done');
      expect(transcript.segments.length).toBeGreaterThan(0);
      for (const segment of transcript.segments)
        expect(segment.endMs).toBeLessThanOrEqual(lecture.durationMs + 500);
    },
  );

  it('comes back after a crash, with the saved data', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
    const { host, statuses, children } = startHost(initFor(dataRoot));
    valueOf(await host.call('classes.create', { name: 'Organic Chemistry' }));

    children[0]!.child.kill('SIGKILL');
    await waitFor(() => (statuses.includes('reconnecting') ? true : undefined));
    const classes = valueOf(await host.call('classes.list', {})) as { name: string }[];
    expect(classes.map((item) => item.name)).toEqual(['Organic Chemistry']);
    expect(statuses).toEqual(['reconnecting', 'connected']);
  });

  it('refuses to open a data folder another engine is using, with a message for the student', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
    const first = startHost(initFor(dataRoot));
    valueOf(await first.host.call('classes.list', {}));

    const second = startHost(initFor(dataRoot));
    const error = await second.startupFailed;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/already running/);
    await expect(second.host.call('classes.list', {})).resolves.toMatchObject({
      error: { code: 'ENGINE_UNAVAILABLE' },
    });
    // The first one is untouched.
    expect(valueOf(await first.host.call('classes.list', {}))).toEqual([]);
  });

  it('closes cleanly on stop, releasing the data folder', async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'lm-data-'));
    const init = initFor(dataRoot);
    const { host, children } = startHost(init);
    valueOf(await host.call('classes.list', {}));
    const exited = new Promise<number | null>((resolve) => children[0]!.child.once('exit', resolve));

    await host.stop();
    expect(await exited).toBe(0);
    expect(existsSync(join(init.dataDir, 'little-monster.lock'))).toBe(false);
  });
});
