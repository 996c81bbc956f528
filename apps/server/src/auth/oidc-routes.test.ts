import { createHash, randomBytes } from 'node:crypto';
import { OAuth2Server } from 'oauth2-mock-server';
import { accountSchema, ServerApi, ServerApiError, tokensSchema } from '@little-monster/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, newEmail, PASSWORD } from '../test-support/devices.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { isLoopbackRedirect } from './oidc-routes.js';

let provider: OAuth2Server;
let server: TestServer;
/** What the provider says about the person signing in. */
let person: { sub: string; email?: string; email_verified?: boolean };
const device = { name: 'Study laptop', platform: 'linux' as const };

beforeAll(async () => {
  provider = new OAuth2Server();
  await provider.issuer.keys.generate('RS256');
  await provider.start(0, '127.0.0.1');
  provider.service.on('beforeTokenSigning', (token) => Object.assign(token.payload, person));
  server = await startTestServer({
    config: {
      oidcProviders: [
        {
          id: 'school',
          name: 'School account',
          issuer: provider.issuer.url!,
          clientId: 'little-monster',
          clientSecret: 's3cret-client',
        },
      ],
    },
  });
});
afterAll(async () => {
  await server?.close();
  await provider?.stop();
});

/**
 * The desktop's part: a PKCE pair and a loopback redirect, the browser following the redirects
 * (server -> provider -> server -> loopback), then the code exchanged with the verifier.
 */
async function browserSignIn(overrides: { verifier?: string; redirect?: string } = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = 'http://127.0.0.1:53682/callback';
  const state = randomBytes(16).toString('base64url');
  const start = new URL(`${server.url}/v1/auth/oidc/school/start`);
  start.search = new URLSearchParams({
    redirect_uri: redirect,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  let location = start.href;
  // Follow redirects until one points at the loopback address (which the desktop listens on).
  while (!location.startsWith(redirect)) {
    const response = await fetch(location, { redirect: 'manual' });
    expect(response.status, await response.clone().text()).toBe(302);
    location = new URL(response.headers.get('location')!, location).href;
  }
  const back = new URL(location);
  expect(back.searchParams.get('state')).toBe(state);
  return { back, verifier: overrides.verifier ?? verifier, redirect: overrides.redirect ?? redirect };
}

async function exchange(code: string, verifier: string, redirect: string) {
  return new ServerApi({ baseUrl: server.url }).json('POST', '/v1/auth/oidc/token', tokensSchema, {
    body: { code, code_verifier: verifier, redirect_uri: redirect, device },
    auth: false,
  });
}

describe('OpenID Connect sign-in (RFC 8252)', () => {
  it('lists the providers, creates an account on first sign-in and finds it again on the next', async () => {
    const providers = await (await fetch(`${server.url}/v1/auth/oidc/providers`)).json();
    expect(providers).toEqual({ providers: [{ id: 'school', name: 'School account' }] });
    const email = newEmail('oidc');
    person = { sub: `sub-${email}`, email, email_verified: true };
    const first = await browserSignIn();
    const tokens = await exchange(first.back.searchParams.get('code')!, first.verifier, first.redirect);
    const account = await new Session(server.url, tokens).api.json('GET', '/v1/account', accountSchema);
    expect(account).toMatchObject({
      email,
      emailVerified: true,
      hasPassword: false,
      identities: [{ provider: 'school', email }],
    });

    const again = await browserSignIn();
    const second = await exchange(again.back.searchParams.get('code')!, again.verifier, again.redirect);
    const same = await new Session(server.url, second).api.json('GET', '/v1/account', accountSchema);
    expect(same.id).toBe(account.id);
    expect(second.deviceId).not.toBe(tokens.deviceId);
  });

  it('refuses a code with the wrong verifier or redirect, and a code used twice', async () => {
    person = { sub: 'someone', email: newEmail('oidc'), email_verified: true };
    const signIn = await browserSignIn();
    const code = signIn.back.searchParams.get('code')!;
    const wrongVerifier = await exchange(code, randomBytes(32).toString('base64url'), signIn.redirect).catch(
      (e: unknown) => e,
    );
    expect(wrongVerifier).toBeInstanceOf(ServerApiError);
    expect(wrongVerifier).toMatchObject({ status: 400, code: 'INVALID_GRANT' });
    // The code was consumed by the failed attempt: a stolen code gets one try at most.
    await expect(exchange(code, signIn.verifier, signIn.redirect)).rejects.toMatchObject({
      code: 'INVALID_GRANT',
    });

    const other = await browserSignIn();
    await expect(
      exchange(other.back.searchParams.get('code')!, other.verifier, 'http://127.0.0.1:9999/elsewhere'),
    ).rejects.toMatchObject({ code: 'INVALID_GRANT' });
  });

  it('links a verified provider identity to the account with that email, disabling an unconfirmed password', async () => {
    const email = newEmail('squatted');
    // Someone registered this address with a password but never confirmed it.
    await fetch(`${server.url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    person = { sub: `owner-${email}`, email, email_verified: true };
    const signIn = await browserSignIn();
    const tokens = await exchange(signIn.back.searchParams.get('code')!, signIn.verifier, signIn.redirect);
    const account = await new Session(server.url, tokens).api.json('GET', '/v1/account', accountSchema);
    expect(account).toMatchObject({ email, emailVerified: true, hasPassword: false });
    const login = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, device }),
    });
    expect(login.status).toBe(401);
  });

  it('sends the browser back with an error when the provider does not confirm the email', async () => {
    person = { sub: 'unverified', email: newEmail('oidc'), email_verified: false };
    const { back } = await browserSignIn();
    expect(back.searchParams.get('code')).toBeNull();
    expect(back.searchParams.get('error')).toBe('email_not_verified');
  });

  it('accepts only loopback redirects, and refuses an unknown or replayed state', async () => {
    for (const uri of ['http://127.0.0.1:5000/cb', 'http://[::1]:5000/cb'])
      expect(isLoopbackRedirect(uri)).toBe(true);
    for (const uri of [
      'https://evil.example/cb',
      'http://localhost:5000/cb',
      'http://127.0.0.1/cb',
      'http://user@127.0.0.1:5/cb',
      'javascript:alert(1)',
    ])
      expect(isLoopbackRedirect(uri)).toBe(false);
    const start = `${server.url}/v1/auth/oidc/school/start?redirect_uri=${encodeURIComponent('https://evil.example/cb')}&state=${'s'.repeat(16)}&code_challenge=${'c'.repeat(43)}&code_challenge_method=S256`;
    expect((await fetch(start, { redirect: 'manual' })).status).toBe(400);
    const callback = await fetch(`${server.url}/v1/auth/oidc/school/callback?state=made-up&code=x`, {
      redirect: 'manual',
    });
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('Start again from Little Monster');
  });
});
