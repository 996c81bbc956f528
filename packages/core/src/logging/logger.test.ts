import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempDir, waitFor } from '../test-support/temp-core.js';
import { createLogger } from './logger.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.remove());

it('writes structured lines to the log file with secrets redacted wherever they appear', async () => {
  const logger = createLogger({ logsDir: dir.path });
  logger.info(
    { token: 'tok-123', request: { apiKey: 'key-456', headers: { authorization: 'Bearer abc' } } },
    'connected',
  );
  logger.flush();
  const file = join(dir.path, 'engine.log');
  const text = await waitFor(
    () => (existsSync(file) ? readFileSync(file, 'utf8') : ''),
    (written) => written.includes('connected'),
  );
  const line = JSON.parse(text.trim().split('\n').pop()!) as Record<string, unknown>;
  expect(line).toMatchObject({ msg: 'connected', level: 30, token: '[redacted]' });
  expect(text).not.toMatch(/tok-123|key-456|Bearer abc/);
});
