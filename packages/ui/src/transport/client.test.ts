import { describe, expect, it } from 'vitest';
import { AUTO_BACKUP_DEFAULTS } from '@little-monster/core/contract';
import { createMemoryTransport, rpcError } from '../test-support/memory-transport';
import { createEngineClient, RpcCallError } from './client';

describe('typed client', () => {
  it('returns the value of a successful call, sending {} for procedures with default input', async () => {
    const transport = createMemoryTransport({
      'settings.get': () => ({
        theme: 'dark',
        weekStartsOn: 'sunday',
        jobConcurrency: 3,
        embeddingModelId: null,
        tutorEngine: { kind: 'auto' },
        transcriptionModelId: null,
        transcriptionLanguage: 'en',
        autoBackup: AUTO_BACKUP_DEFAULTS,
        useGpu: 'auto',
        readAloudVoiceId: null,
        readAloudSpeed: 1,
      }),
    });
    const client = createEngineClient(transport);
    await expect(client.call('settings.get')).resolves.toEqual({
      theme: 'dark',
      weekStartsOn: 'sunday',
      jobConcurrency: 3,
      embeddingModelId: null,
      tutorEngine: { kind: 'auto' },
      transcriptionModelId: null,
      transcriptionLanguage: 'en',
      autoBackup: AUTO_BACKUP_DEFAULTS,
      useGpu: 'auto',
      readAloudVoiceId: null,
      readAloudSpeed: 1,
    });
    expect(transport.calls).toEqual([{ method: 'settings.get', input: {} }]);
  });

  it('throws an RpcCallError with the code, message and field issues of a failed call', async () => {
    const client = createEngineClient(createMemoryTransport({}));
    const error = await client.call('classes.create', { name: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcCallError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect((error as RpcCallError).fieldIssues).toEqual([{ path: 'name', message: 'A class needs a name' }]);
  });

  it('keeps the engine message of other errors and has no field issues for them', async () => {
    const client = createEngineClient(
      createMemoryTransport({
        'classes.get': () => {
          throw rpcError('NOT_FOUND', 'That class no longer exists.');
        },
      }),
    );
    const error = (await client
      .call('classes.get', { id: crypto.randomUUID() })
      .catch((e: unknown) => e)) as RpcCallError;
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('That class no longer exists.');
    expect(error.fieldIssues).toEqual([]);
  });
});
