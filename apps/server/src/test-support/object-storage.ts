/** A local S3-compatible server (s3rver) on 127.0.0.1 with one bucket, and its files on disk. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { BlobStoreConfig } from '../config.js';

export interface LocalObjectStorage {
  config: Extract<BlobStoreConfig, { kind: 's3' }>;
  /** Where s3rver keeps the objects (to look at what was stored). */
  directory: string;
  close(): Promise<void>;
}

export async function startObjectStorage(): Promise<LocalObjectStorage> {
  const directory = mkdtempSync(join(tmpdir(), 'lm-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: 'little-monster' }],
  });
  const { port } = await server.run();
  return {
    config: {
      kind: 's3',
      bucket: 'little-monster',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    directory,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
