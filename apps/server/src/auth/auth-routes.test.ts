import { accountSchema, devicesSchema, ServerApi, tokensSchema } from '@little-monster/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, newEmail, registerVerified, signIn } from '../test-support/devices.js';
import { apiFailure } from '../test-support/api-failure.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let server: TestServer;
let anonymous: ServerApi;

beforeAll(async () => {
  server = await startTestServer();
  anonymous = new ServerApi({ baseUrl: server.url });
});
afterAll(() => server?.close());

const post = (path: string, body: unknown) => anonymous.send('POST', path, { body, auth: false });
const device = { name: 'Ana laptop', platform: 'linux' as const };

describe('email and password accounts', () => {
  it('registers, confirms the email through the link sent by SMTP, signs in and reads the account', async () => {
    const email = newEmail();
    const registered = await post('/v1/auth/register', { email: email.toUpperCase(), password: PASSWORD });
    expect(await registered.json()).toEqual({ message: expect.stringMatching(/check your inbox/) });
    const refused = await apiFailure(post('/v1/auth/login', { email, password: PASSWORD, device }));
    expect(refused).toMatchObject({ status: 403, code: 'EMAIL_NOT_VERIFIED' });

    const mail = await server.mailbox.waitFor(email, /Confirm your email/);
    const link = /http:\/\/\S+/.exec(mail.text)![0];
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Your email is confirmed');
    expect((await fetch(link)).status).toBe(400); // the link works once

    const session = await signIn(server, email);
    const account = await session.api.json('GET', '/v1/account', accountSchema);
    expect(account).toMatchObject({ email, emailVerified: true, hasPassword: true, identities: [] });
  });

  it('answers a registration for an existing email exactly like a new one, and tells the owner by email', async () => {
    const email = await registerVerified(server);
    const fresh = await post('/v1/auth/register', { email: newEmail(), password: PASSWORD });
    const again = await post('/v1/auth/register', { email, password: 'another long password' });
    expect(again.status).toBe(fresh.status);
    expect(await again.json()).toEqual(await fresh.json());
    await server.mailbox.waitFor(email, /Your Little Monster account/);
    // The existing password still works; the attempt changed nothing.
    await signIn(server, email);
  });

  it('gives the same answer for a wrong password and for an email without an account', async () => {
    const email = await registerVerified(server);
    const wrongPassword = await apiFailure(
      post('/v1/auth/login', { email, password: 'not the password!', device }),
    );
    const noAccount = await apiFailure(
      post('/v1/auth/login', { email: newEmail(), password: PASSWORD, device }),
    );
    for (const error of [wrongPassword, noAccount])
      expect(error).toMatchObject({
        status: 401,
        code: 'INVALID_CREDENTIALS',
        message: 'The email or password is wrong.',
      });
  });

  it('refuses weak passwords and malformed emails with a clear message', async () => {
    expect(
      await apiFailure(post('/v1/auth/register', { email: newEmail(), password: 'short' })),
    ).toMatchObject({
      status: 400,
      message: expect.stringContaining('at least 12 characters'),
    });
    expect(
      await apiFailure(post('/v1/auth/register', { email: 'not-an-email', password: PASSWORD })),
    ).toMatchObject({
      status: 400,
      code: 'INVALID_INPUT',
    });
  });
});

describe('sessions', () => {
  it('rotates the refresh token on every use; reusing an old one signs the device out', async () => {
    const email = await registerVerified(server);
    const session = await signIn(server, email);
    const first = session.tokens;
    const second = await anonymous.json('POST', '/v1/auth/refresh', tokensSchema, {
      body: { refreshToken: first.refreshToken },
      auth: false,
    });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.deviceId).toBe(first.deviceId);

    const reuse = await apiFailure(post('/v1/auth/refresh', { refreshToken: first.refreshToken }));
    expect(reuse).toMatchObject({ status: 401, code: 'REFRESH_TOKEN_REUSED' });
    // The whole family is gone: the newer token and the access token no longer work either.
    expect((await apiFailure(post('/v1/auth/refresh', { refreshToken: second.refreshToken }))).status).toBe(
      401,
    );
    const revoked = new ServerApi({
      baseUrl: server.url,
      session: {
        accessToken: async () => second.accessToken,
        refresh: () => Promise.reject(new Error('signed out')),
      },
    });
    await expect(revoked.json('GET', '/v1/account', accountSchema)).rejects.toThrow('signed out');
  });

  it('signs out one device, lists devices, revokes another device, and signs out everywhere', async () => {
    const email = await registerVerified(server);
    const laptop = await signIn(server, email, PASSWORD, { name: 'Laptop', platform: 'darwin' });
    const desktop = await signIn(server, email, PASSWORD, { name: 'Desktop', platform: 'win32' });
    const tablet = await signIn(server, email, PASSWORD, { name: 'Tablet', platform: 'other' });
    const listed = await laptop.api.json('GET', '/v1/account/devices', devicesSchema);
    expect(listed.devices.map((d) => [d.name, d.current])).toEqual([
      ['Laptop', true],
      ['Desktop', false],
      ['Tablet', false],
    ]);

    await laptop.api.send('DELETE', `/v1/account/devices/${tablet.tokens.deviceId}`);
    const tabletError = await apiFailure(
      new ServerApi({
        baseUrl: server.url,
        session: {
          accessToken: async () => tablet.tokens.accessToken,
          refresh: async () => tablet.tokens.accessToken,
        },
      }).send('GET', '/v1/account'),
    );
    expect(tabletError).toMatchObject({ status: 401, message: 'This device was signed out. Sign in again.' });

    await desktop.api.send('POST', '/v1/auth/logout');
    expect(
      (await laptop.api.json('GET', '/v1/account/devices', devicesSchema)).devices.map((d) => d.name),
    ).toEqual(['Laptop']);
    const other = await signIn(server, email);
    await laptop.api.send('POST', '/v1/auth/logout-all');
    expect(
      (await apiFailure(post('/v1/auth/refresh', { refreshToken: other.tokens.refreshToken }))).status,
    ).toBe(401);
  });
});

describe('password reset', () => {
  it('sends a code, sets the new password, signs every device out; unknown emails get the same answer and no email', async () => {
    const email = await registerVerified(server);
    const before = await signIn(server, email);
    const stranger = newEmail('nobody');
    const known = await post('/v1/auth/forgot-password', { email });
    const unknown = await post('/v1/auth/forgot-password', { email: stranger });
    expect(await unknown.json()).toEqual(await known.json());

    const mail = await server.mailbox.waitFor(email, /Reset your Little Monster password/);
    const code = /\n\n(\S{43})\n\n/.exec(mail.text)![1]!;
    await post('/v1/auth/reset-password', { token: code, password: 'the new long password' });
    expect(
      (await apiFailure(post('/v1/auth/reset-password', { token: code, password: 'yet another password' })))
        .code,
    ).toBe('INVALID_TOKEN');
    expect((await apiFailure(post('/v1/auth/login', { email, password: PASSWORD, device }))).status).toBe(
      401,
    );
    await signIn(server, email, 'the new long password');
    expect(
      (await apiFailure(post('/v1/auth/refresh', { refreshToken: before.tokens.refreshToken }))).status,
    ).toBe(401);
    expect(server.mailbox.received.some((received) => received.to === stranger)).toBe(false);
  });
});
