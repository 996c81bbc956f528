/**
 * Blobs in S3-compatible object storage through the AWS SDK (AWS S3, MinIO, Ceph, R2...).
 * Checksums are sent and checked only where an operation requires them: the SDK's default
 * streaming checksum trailers are not understood by every S3-compatible server.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { BlobStoreConfig } from '../config.js';
import { BlobNotFoundError, checkKey, type BlobStore } from './blob-store.js';

export function s3BlobStore(config: Extract<BlobStoreConfig, { kind: 's3' }>): BlobStore {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;

  const deleteKeys = async (keys: readonly string[]) => {
    for (let start = 0; start < keys.length; start += 1000)
      await client.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: keys.slice(start, start + 1000).map((Key) => ({ Key })), Quiet: true },
        }),
      );
  };

  return {
    async put(key, body, size) {
      await client.send(
        new PutObjectCommand({ Bucket, Key: checkKey(key), Body: body, ContentLength: size }),
      );
    },
    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: checkKey(key) }));
        return object.Body as Readable;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
          throw new BlobNotFoundError(key);
        throw error;
      }
    },
    async delete(keys) {
      await deleteKeys(keys.map(checkKey));
    },
    async deletePrefix(prefix) {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: `${checkKey(prefix)}/`, ContinuationToken: token }),
        );
        await deleteKeys((page.Contents ?? []).map((object) => object.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async close() {
      client.destroy();
    },
  };
}
