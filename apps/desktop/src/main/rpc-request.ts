import { isProcedureName, MAX_MESSAGE_BYTES, type RpcError } from '@little-monster/core/contract';

const encoder = new TextEncoder();

export const TOO_LARGE_MESSAGE = `This request is too large to send (over ${Math.round(MAX_MESSAGE_BYTES / 1024)} KB). Shorten it and try again.`;

/**
 * What main checks before relaying a call: a procedure the contract knows, and a message no
 * bigger than any transport accepts. The engine validates the input itself, for every transport.
 * Returns the error to answer with, or null when the call may go on.
 */
export function checkRpcRequest(method: unknown, input: unknown): RpcError | null {
  if (typeof method !== 'string' || !isProcedureName(method)) {
    return { code: 'INVALID_INPUT', message: `Unknown procedure "${String(method).slice(0, 100)}".` };
  }
  const bytes = messageBytes(method, input);
  if (bytes === null) {
    return {
      code: 'INVALID_INPUT',
      message: 'This request contains data that cannot be sent to the engine.',
    };
  }
  if (bytes > MAX_MESSAGE_BYTES) return { code: 'INVALID_INPUT', message: TOO_LARGE_MESSAGE };
  return null;
}

/** Size of the call as the WebSocket transport would send it (JSON), so both transports agree. */
function messageBytes(method: string, input: unknown): number | null {
  try {
    return encoder.encode(JSON.stringify({ type: 'call', id: 0, method, input })).byteLength;
  } catch {
    // BigInt or a cycle: structured clone allowed it, the contract's JSON shapes never need it.
    return null;
  }
}
