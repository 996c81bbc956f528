import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A generated model file and a model catalog (the engine's `--model-catalog`) that offers it. */
export interface OfferedModel {
  path: string;
  catalog: string;
}

/**
 * Writes a catalog beside `modelPath` offering that file as `entry`, with its real size and
 * checksum, so "use a file I already have" accepts it. The URL is never fetched.
 */
export function offerModel(
  modelPath: string,
  entry: { id: string; kind: string; name: string; description: string; format: string },
): OfferedModel {
  const bytes = readFileSync(modelPath);
  const fileName = basename(modelPath);
  const catalog = join(modelPath, '..', 'catalog.json');
  writeFileSync(
    catalog,
    JSON.stringify({
      version: 1,
      models: [
        {
          ...entry,
          url: `http://127.0.0.1:9/${fileName}`,
          fileName,
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          license: 'MIT',
          ramBytes: 64 * 1024 * 1024,
          verified: true,
        },
      ],
    }),
  );
  return { path: modelPath, catalog };
}
