/**
 * Email and password accounts. Answers never tell whether an email has an account: register,
 * resend and forgot-password always answer the same, and a wrong email or password give the
 * same error after the same work. Every route is rate limited per client address, and
 * sign-in and password reset also per email, counted across all instances.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  acceptedSchema,
  emailRequestSchema,
  loginRequestSchema,
  refreshRequestSchema,
  registerRequestSchema,
  resetPasswordRequestSchema,
  tokenRequestSchema,
  tokensSchema,
} from '@little-monster/sync';
import { z } from 'zod';
import { users } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { htmlPage } from '../http/html-page.js';
import { limit } from '../http/rate-limit.js';
import { alreadyRegisteredEmail, resetEmail, verificationEmail } from '../mail/account-emails.js';
import type { AppContext } from '../app-context.js';
import { checkPassword, hashPassword } from './passwords.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const CHECK_EMAIL = 'If the address can receive email, a message is on its way: check your inbox.';

export function authRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, sessions, emailTokens, config } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const scaled = (max: number) => Math.max(1, Math.round(max * config.rateLimitScale));
  const perAddress = (name: string, max: number, windowMs: number) =>
    limit(app, { name, max: scaled(max), windowMs });
  const perEmail = (name: string, max: number, windowMs: number) =>
    limit(app, {
      name,
      max: scaled(max),
      windowMs,
      key: (request) =>
        String((request.body as { email?: unknown } | undefined)?.email ?? '')
          .trim()
          .toLowerCase(),
    });

  api.post(
    '/v1/auth/register',
    {
      schema: { body: registerRequestSchema, response: { 202: acceptedSchema } },
      preHandler: [perAddress('register', 10, HOUR), perEmail('register-email', 3, HOUR)],
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (existing) {
        await checkPassword(undefined, password); // the same work as a new account's hash
        context.deliver(alreadyRegisteredEmail(email));
      } else {
        const [created] = await db
          .insert(users)
          .values({ email, passwordHash: await hashPassword(password) })
          .onConflictDoNothing()
          .returning({ id: users.id });
        if (created) {
          const token = await emailTokens.create(created.id, 'verify-email');
          context.deliver(
            verificationEmail(email, `${config.publicUrl}/v1/auth/verify-email?token=${token}`),
          );
        }
      }
      return reply.status(202).send({ message: CHECK_EMAIL });
    },
  );

  const verify = async (token: string) => {
    const userId = await emailTokens.consume(token, 'verify-email');
    if (!userId)
      throw new ApiError(
        400,
        'INVALID_TOKEN',
        'This confirmation link is not valid any more (it works once, for 24 hours). Sign in to get a new one.',
      );
    await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, userId));
  };

  api.post(
    '/v1/auth/verify-email',
    {
      schema: { body: tokenRequestSchema, response: { 200: acceptedSchema } },
      preHandler: perAddress('verify', 20, HOUR),
    },
    async (request) => {
      await verify(request.body.token);
      return { message: 'Your email is confirmed. You can sign in.' };
    },
  );

  // The link in the email opens in a browser: it answers with a small page.
  api.get(
    '/v1/auth/verify-email',
    { schema: { querystring: tokenRequestSchema }, preHandler: perAddress('verify', 20, HOUR) },
    async (request, reply) => {
      try {
        await verify(request.query.token);
      } catch (error) {
        if (error instanceof ApiError) return htmlPage(reply, error.status, error.message);
        throw error;
      }
      return htmlPage(reply, 200, 'Your email is confirmed. Return to Little Monster and sign in.');
    },
  );

  api.post(
    '/v1/auth/resend-verification',
    {
      schema: { body: emailRequestSchema, response: { 202: acceptedSchema } },
      preHandler: [perAddress('resend', 10, HOUR), perEmail('resend-email', 3, HOUR)],
    },
    async (request, reply) => {
      const [user] = await db.select().from(users).where(eq(users.email, request.body.email));
      if (user && !user.emailVerifiedAt) {
        const token = await emailTokens.create(user.id, 'verify-email');
        context.deliver(
          verificationEmail(user.email, `${config.publicUrl}/v1/auth/verify-email?token=${token}`),
        );
      }
      return reply.status(202).send({ message: CHECK_EMAIL });
    },
  );

  api.post(
    '/v1/auth/login',
    {
      schema: { body: loginRequestSchema, response: { 200: tokensSchema } },
      preHandler: [perAddress('login', 30, 15 * MINUTE), perEmail('login-email', 10, 15 * MINUTE)],
    },
    async (request) => {
      const { email, password, device } = request.body;
      const [user] = await db.select().from(users).where(eq(users.email, email));
      if (!(await checkPassword(user?.passwordHash, password)) || !user)
        throw new ApiError(401, 'INVALID_CREDENTIALS', 'The email or password is wrong.');
      if (!user.emailVerifiedAt)
        throw new ApiError(
          403,
          'EMAIL_NOT_VERIFIED',
          'Confirm your email first: open the link we sent you, or ask for a new one.',
        );
      return sessions.start(user.id, device);
    },
  );

  api.post(
    '/v1/auth/refresh',
    {
      schema: { body: refreshRequestSchema, response: { 200: tokensSchema } },
      preHandler: perAddress('refresh', 120, 15 * MINUTE),
    },
    async (request) => sessions.refresh(request.body.refreshToken),
  );

  api.post(
    '/v1/auth/logout',
    {
      schema: { response: { 204: z.void() } },
      onRequest: context.authenticate,
      preHandler: perAddress('logout', 60, 15 * MINUTE),
    },
    async (request, reply) => {
      await sessions.revokeDevice(request.auth.userId, request.auth.deviceId);
      return reply.status(204).send();
    },
  );

  api.post(
    '/v1/auth/logout-all',
    {
      schema: { response: { 204: z.void() } },
      onRequest: context.authenticate,
      preHandler: perAddress('logout', 60, 15 * MINUTE),
    },
    async (request, reply) => {
      await sessions.revokeAll(request.auth.userId);
      return reply.status(204).send();
    },
  );

  api.post(
    '/v1/auth/forgot-password',
    {
      schema: { body: emailRequestSchema, response: { 202: acceptedSchema } },
      preHandler: [perAddress('forgot', 10, HOUR), perEmail('forgot-email', 3, HOUR)],
    },
    async (request, reply) => {
      const [user] = await db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(eq(users.email, request.body.email));
      if (user) context.deliver(resetEmail(user.email, await emailTokens.create(user.id, 'reset-password')));
      return reply.status(202).send({ message: CHECK_EMAIL });
    },
  );

  api.post(
    '/v1/auth/reset-password',
    {
      schema: { body: resetPasswordRequestSchema, response: { 200: acceptedSchema } },
      preHandler: perAddress('reset', 10, HOUR),
    },
    async (request) => {
      const userId = await emailTokens.consume(request.body.token, 'reset-password');
      if (!userId)
        throw new ApiError(
          400,
          'INVALID_TOKEN',
          'This reset code is not valid any more (it works once, for an hour). Ask for a new one.',
        );
      const passwordHash = await hashPassword(request.body.password);
      // Receiving the code proves the address, so it counts as confirmed.
      await db.update(users).set({ passwordHash, emailVerifiedAt: new Date() }).where(eq(users.id, userId));
      await sessions.revokeAll(userId);
      return {
        message: 'Your password is changed and every device was signed out. Sign in with the new password.',
      };
    },
  );
}
