import { MAX_MESSAGE_BYTES } from '@little-monster/core/contract';
import { describe, expect, it } from 'vitest';
import { checkRpcRequest, TOO_LARGE_MESSAGE } from './rpc-request.js';

describe('checkRpcRequest', () => {
  it('lets a call to a known procedure through', () => {
    expect(checkRpcRequest('classes.list', {})).toBeNull();
    expect(checkRpcRequest('app.info', undefined)).toBeNull();
  });

  it('refuses a method the contract does not know, or one that is not a string', () => {
    expect(checkRpcRequest('classes.dropAll', {})).toMatchObject({ code: 'INVALID_INPUT' });
    expect(checkRpcRequest('__proto__', {})).toMatchObject({ code: 'INVALID_INPUT' });
    expect(checkRpcRequest('toString', {})).toMatchObject({ code: 'INVALID_INPUT' });
    expect(checkRpcRequest(42, {})).toMatchObject({ code: 'INVALID_INPUT' });
    expect(checkRpcRequest({ method: 'app.info' }, {})).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses a message larger than any transport accepts', () => {
    expect(checkRpcRequest('classes.create', { name: 'x'.repeat(MAX_MESSAGE_BYTES) })).toEqual({
      code: 'INVALID_INPUT',
      message: TOO_LARGE_MESSAGE,
    });
    // Counted in bytes, not characters.
    expect(checkRpcRequest('classes.create', { name: 'é'.repeat(MAX_MESSAGE_BYTES / 2) })).toMatchObject({
      message: TOO_LARGE_MESSAGE,
    });
  });

  it('refuses input that cannot travel as JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(checkRpcRequest('classes.create', cyclic)).toMatchObject({ code: 'INVALID_INPUT' });
    expect(checkRpcRequest('classes.create', { n: 1n })).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
