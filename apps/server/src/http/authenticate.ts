/**
 * The guard of every signed-in route: a valid access token (signature, algorithm, issuer,
 * audience, expiry) whose device is still signed in. Revoking a device therefore takes effect
 * on its next request, not when its access token expires.
 */
import type { FastifyRequest } from 'fastify';
import type { AccessClaims, AccessTokens } from '../auth/access-tokens.js';
import type { Sessions } from '../auth/sessions.js';
import { unauthenticated } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AccessClaims;
  }
}

export type Authenticate = (request: FastifyRequest) => Promise<void>;

export function authenticator(tokens: AccessTokens, sessions: Sessions): Authenticate {
  return async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_.-]{10,4096})$/.exec(header);
    if (!match) throw unauthenticated('Sign in first: this request has no access token.');
    const claims = await tokens.verify(match[1]!);
    if (!claims)
      throw unauthenticated('The access token is not valid or has expired; refresh it or sign in again.');
    if (!(await sessions.isActive(claims)))
      throw unauthenticated('This device was signed out. Sign in again.');
    request.auth = claims;
  };
}
