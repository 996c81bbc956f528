/**
 * The window's bundle as build.mjs makes it (what main loads, see bundle-paths.ts), its pdf.js
 * drawing a real PDF and the recorder's AudioWorklet loading, in Chromium from a file:// page,
 * the way the desktop window does.
 * Electron cannot run here: Chromium's --allow-file-access-from-files stands in for the file://
 * privileges Electron grants by default (its GrantFileProtocolExtraPrivileges fuse, which
 * electron-builder.yml leaves on), and a data: URL stands in for main's lm-file: protocol.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixtures.js';
import { META_CONTENT_SECURITY_POLICY } from './content-security-policy.js';

const desktopDir = fileURLToPath(new URL('../..', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let outDir: string;
let rendererDir: string;

beforeAll(() => {
  const cache = join(desktopDir, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  outDir = mkdtempSync(join(cache, 'renderer-bundle-'));
  execFileSync(process.execPath, ['build.mjs', 'renderer', `--outdir=${outDir}`], {
    cwd: desktopDir,
    stdio: 'pipe',
  });
  rendererDir = join(outDir, 'renderer');
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe('the renderer bundle', () => {
  it('ships pdf.js’s worker and the data it fetches beside the page', () => {
    for (const file of ['index.html', 'main.js', 'main.css', 'pdfjs/pdf.worker.js']) {
      expect(existsSync(join(rendererDir, file)), file).toBe(true);
    }
    // A classic script: the page is a file:// page, and no module loading is involved.
    expect(readFileSync(join(rendererDir, 'pdfjs', 'pdf.worker.js'), 'utf8')).not.toMatch(/^\s*export\s/m);
    expect(
      readdirSync(join(rendererDir, 'pdfjs', 'cmaps')).filter((name) => name.endsWith('.bcmap')).length,
    ).toBeGreaterThan(100);
    expect(readdirSync(join(rendererDir, 'pdfjs', 'standard_fonts')).length).toBeGreaterThan(10);
    expect(readdirSync(join(rendererDir, 'pdfjs', 'wasm'))).toEqual(
      expect.arrayContaining(['openjpeg.wasm', 'qcms_bg.wasm']),
    );
    expect(readdirSync(join(rendererDir, 'pdfjs', 'iccs')).some((name) => name.endsWith('.icc'))).toBe(true);
  });

  it('draws a PDF page with pdf.js in a worker, from a file:// page under the window’s CSP', async () => {
    // A page beside index.html, so pdfjs/ resolves as it does for the real one.
    const entry = join(outDir, 'harness-entry.ts');
    writeFileSync(
      entry,
      `import { pdfjsSupport } from ${JSON.stringify(join(desktopDir, 'src', 'renderer', 'pdfjs-support.ts'))};
window.draw = async (url) => {
  const pdf = await pdfjsSupport.open(url);
  const canvas = document.createElement('canvas');
  document.body.append(canvas);
  await pdf.renderPage(6, canvas, 600, new AbortController().signal);
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) ink++;
  // The text layer the student selects and copies from.
  const layer = document.createElement('div');
  document.body.append(layer);
  await pdf.renderTextLayer(6, layer, 600, new AbortController().signal);
  const text = layer.textContent;
  pdf.close();
  return { pageCount: pdf.pageCount, width: canvas.width, height: canvas.height, ink, text, spans: layer.querySelectorAll('span').length };
};`,
    );
    await build({
      entryPoints: [entry],
      absWorkingDir: desktopDir,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome130',
      outfile: join(rendererDir, 'harness.js'),
      logLevel: 'silent',
    });
    const csp = META_CONTENT_SECURITY_POLICY.replace('connect-src', 'connect-src data:');
    writeFileSync(
      join(rendererDir, 'harness.html'),
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="${csp}"><script defer src="./harness.js"></script>`,
    );

    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy/.test(message.text()))
          problems.push(message.text());
      });
      await page.goto(pathToFileURL(join(rendererDir, 'harness.html')).href);
      const pdf = readFileSync(fixture('pdf/tracemonkey.pdf'));
      const drawn = await page.evaluate(
        (url) =>
          (globalThis as unknown as { draw(url: string): Promise<Record<string, number | string>> }).draw(
            url,
          ),
        `data:application/pdf;base64,${pdf.toString('base64')}`,
      );
      expect(drawn.pageCount).toBe(14);
      expect(drawn.width).toBe(600);
      expect(drawn.height).toBeGreaterThan(700);
      // Text drawn: a blank or failed page has no dark pixels.
      expect(drawn.ink).toBeGreaterThan(5_000);
      expect(drawn.spans).toBeGreaterThan(50);
      expect(String(drawn.text).replace(/\s+/g, ' ')).toContain('3.3 Blacklisting');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('loads the recorder’s AudioWorklet from a file beside the page, under the window’s CSP', async () => {
    // The UI loads it by URL (live-audio.ts), so it must be a file of the renderer, not bundled.
    expect(existsSync(join(rendererDir, 'audio', 'pcm-capture-worklet.js'))).toBe(true);
    writeFileSync(
      join(rendererDir, 'worklet-harness.js'),
      `window.loadWorklet = async () => {
  const context = new AudioContext({ sampleRate: 48000 });
  await context.audioWorklet.addModule(new URL('audio/pcm-capture-worklet.js', document.baseURI).href);
  const node = new AudioWorkletNode(context, 'lm-pcm-capture');
  const ok = node instanceof AudioWorkletNode;
  await context.close();
  return ok;
};`,
    );
    writeFileSync(
      join(rendererDir, 'worklet-harness.html'),
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}"><script defer src="./worklet-harness.js"></script>`,
    );
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--allow-file-access-from-files',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy/.test(message.text()))
          problems.push(message.text());
      });
      await page.goto(pathToFileURL(join(rendererDir, 'worklet-harness.html')).href);
      const loaded = await page.evaluate(() =>
        (globalThis as unknown as { loadWorklet(): Promise<boolean> }).loadWorklet(),
      );
      expect(loaded).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
