/**
 * Sign-in through an OpenID Connect provider from the desktop app, which opens the system
 * browser (RFC 8252). The server is the provider's confidential client (authorization code
 * with PKCE, state and nonce, through openid-client); the app in turn is the server's client:
 * it starts with its own PKCE challenge and a loopback redirect (http://127.0.0.1:<port>/...),
 * receives a one-time code there, and exchanges it with its verifier for tokens. Both legs'
 * states live in PostgreSQL, so the callback may reach any instance.
 */
import { and, eq, gt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as oidc from 'openid-client';
import {
  oidcProvidersSchema,
  oidcStartQuerySchema,
  oidcTokenRequestSchema,
  tokensSchema,
} from '@little-monster/sync';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import type { OidcProviderConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { identities, oidcCodes, oidcRequests, users } from '../db/schema.js';
import { ApiError, invalidInput, notFound } from '../http/errors.js';
import { htmlPage } from '../http/html-page.js';
import { limit } from '../http/rate-limit.js';
import { hashSecretToken, newSecretToken, pkceChallenge } from './secret-tokens.js';

const REQUEST_LIFETIME_MS = 10 * 60_000;
const CODE_LIFETIME_MS = 2 * 60_000;

/** Provider settings, discovered on first use and kept. */
export class OidcProviders {
  private readonly discovered = new Map<string, Promise<oidc.Configuration>>();

  constructor(readonly providers: readonly OidcProviderConfig[]) {}

  find(id: string): OidcProviderConfig | undefined {
    return this.providers.find((provider) => provider.id === id);
  }

  configuration(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    let configuration = this.discovered.get(provider.id);
    if (!configuration) {
      const issuer = new URL(provider.issuer);
      // Plain HTTP only for a provider on this machine (the tests' local provider).
      const local =
        issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      configuration = oidc.discovery(issuer, provider.clientId, provider.clientSecret, undefined, {
        execute: local ? [oidc.allowInsecureRequests] : [],
      });
      // A provider that was down is asked again next time.
      configuration.catch(() => this.discovered.delete(provider.id));
      this.discovered.set(provider.id, configuration);
    }
    return configuration;
  }
}

/** RFC 8252 section 7.3: an http redirect to a loopback IP literal with a port. */
export function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (
      url.protocol === 'http:' &&
      (url.hostname === '127.0.0.1' || url.hostname === '[::1]') &&
      url.port !== '' &&
      !url.username &&
      !url.password &&
      !url.hash
    );
  } catch {
    return false;
  }
}

export function oidcRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, oidcProviders, sessions, config } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const perAddress = (name: string) =>
    limit(app, { name, max: Math.max(1, Math.round(30 * config.rateLimitScale)), windowMs: 15 * 60_000 });
  const callbackUrl = (id: string) => `${config.publicUrl}/v1/auth/oidc/${id}/callback`;
  const provider = (id: string) => {
    const found = oidcProviders.find(id);
    if (!found) throw notFound(`The sign-in provider "${id}"`);
    return found;
  };

  api.get(
    '/v1/auth/oidc/providers',
    { schema: { response: { 200: oidcProvidersSchema } }, preHandler: perAddress('oidc-providers') },
    async () => ({ providers: oidcProviders.providers.map(({ id, name }) => ({ id, name })) }),
  );

  api.get(
    '/v1/auth/oidc/:provider/start',
    {
      schema: { params: z.object({ provider: z.string().max(40) }), querystring: oidcStartQuerySchema },
      preHandler: perAddress('oidc-start'),
    },
    async (request, reply) => {
      const chosen = provider(request.params.provider);
      const { redirect_uri, state, code_challenge } = request.query;
      if (!isLoopbackRedirect(redirect_uri))
        throw invalidInput(
          'redirect_uri must be a loopback address such as http://127.0.0.1:53682/callback.',
        );
      const configuration = await providerConfiguration(oidcProviders, chosen);
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const serverState = oidc.randomState();
      const nonce = oidc.randomNonce();
      await db.insert(oidcRequests).values({
        state: serverState,
        provider: chosen.id,
        codeVerifier,
        nonce,
        clientRedirectUri: redirect_uri,
        clientState: state,
        clientCodeChallenge: code_challenge,
        expiresAt: new Date(Date.now() + REQUEST_LIFETIME_MS),
      });
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: callbackUrl(chosen.id),
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: serverState,
        nonce,
      });
      return reply.redirect(url.href, 302);
    },
  );

  api.get(
    '/v1/auth/oidc/:provider/callback',
    {
      schema: {
        params: z.object({ provider: z.string().max(40) }),
        querystring: z.object({ state: z.string().max(200) }).loose(),
      },
      preHandler: perAddress('oidc-callback'),
    },
    async (request, reply) => {
      const chosen = provider(request.params.provider);
      const [pending] = await db
        .delete(oidcRequests)
        .where(
          and(
            eq(oidcRequests.state, request.query.state),
            eq(oidcRequests.provider, chosen.id),
            gt(oidcRequests.expiresAt, new Date()),
          ),
        )
        .returning();
      if (!pending)
        return htmlPage(
          reply,
          400,
          'This sign-in has expired or was already used. Start again from Little Monster.',
        );
      const back = new URL(pending.clientRedirectUri);
      back.searchParams.set('state', pending.clientState);
      try {
        const configuration = await providerConfiguration(oidcProviders, chosen);
        const query = new URLSearchParams(request.query as Record<string, string>);
        const tokens = await oidc.authorizationCodeGrant(
          configuration,
          new URL(`${callbackUrl(chosen.id)}?${query}`),
          {
            pkceCodeVerifier: pending.codeVerifier,
            expectedState: pending.state,
            expectedNonce: pending.nonce,
            idTokenExpected: true,
          },
        );
        const userId = await userForIdentity(db, chosen.id, tokens.claims()!);
        const code = newSecretToken();
        await db.insert(oidcCodes).values({
          codeHash: code.hash,
          userId,
          clientRedirectUri: pending.clientRedirectUri,
          clientCodeChallenge: pending.clientCodeChallenge,
          expiresAt: new Date(Date.now() + CODE_LIFETIME_MS),
        });
        back.searchParams.set('code', code.token);
      } catch (error) {
        request.log.warn({ err: error, provider: chosen.id }, 'OpenID Connect sign-in failed');
        back.searchParams.set(
          'error',
          error instanceof ApiError ? error.code.toLowerCase() : 'access_denied',
        );
      }
      return reply.redirect(back.href, 302);
    },
  );

  api.post(
    '/v1/auth/oidc/token',
    {
      schema: { body: oidcTokenRequestSchema, response: { 200: tokensSchema } },
      preHandler: perAddress('oidc-token'),
    },
    async (request) => {
      const { code, code_verifier, redirect_uri, device } = request.body;
      const [grant] = await db
        .delete(oidcCodes)
        .where(and(eq(oidcCodes.codeHash, hashSecretToken(code)), gt(oidcCodes.expiresAt, new Date())))
        .returning();
      if (
        !grant ||
        grant.clientRedirectUri !== redirect_uri ||
        pkceChallenge(code_verifier) !== grant.clientCodeChallenge
      )
        throw new ApiError(
          400,
          'INVALID_GRANT',
          'This sign-in code is not valid (it works once, for two minutes). Sign in again.',
        );
      return sessions.start(grant.userId, device);
    },
  );
}

async function providerConfiguration(providers: OidcProviders, provider: OidcProviderConfig) {
  try {
    return await providers.configuration(provider);
  } catch {
    throw new ApiError(
      502,
      'PROVIDER_UNAVAILABLE',
      `${provider.name} cannot be reached right now; try again later.`,
    );
  }
}

/**
 * The account of a provider identity: the one it signed in to before, else the account with its
 * verified email (linked now), else a new account.
 */
async function userForIdentity(db: Database, provider: string, claims: oidc.IDToken): Promise<string> {
  const subject = claims.sub;
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
  return db.transaction(async (tx) => {
    const [known] = await tx
      .select({ userId: identities.userId })
      .from(identities)
      .where(and(eq(identities.provider, provider), eq(identities.subject, subject)));
    if (known) return known.userId;
    if (!email || claims.email_verified !== true)
      throw new ApiError(
        400,
        'EMAIL_NOT_VERIFIED',
        'The provider did not confirm an email address for this account.',
      );
    const [existing] = await tx.select().from(users).where(eq(users.email, email));
    let userId = existing?.id;
    if (existing && !existing.emailVerifiedAt) {
      // Someone registered this address with a password but never confirmed it: that password
      // may not be the owner's, so it stops working now that the owner has proved the address.
      await tx
        .update(users)
        .set({ emailVerifiedAt: new Date(), passwordHash: null })
        .where(eq(users.id, existing.id));
    }
    if (!userId) {
      const [created] = await tx
        .insert(users)
        .values({ email, emailVerifiedAt: new Date() })
        .returning({ id: users.id });
      userId = created!.id;
    }
    await tx.insert(identities).values({ userId, provider, subject, email });
    return userId;
  });
}
