import { z } from 'zod';

/**
 * The optional account: signing in to a sync server keeps a student's devices in sync, with
 * everything encrypted on this computer by a key only the sync passphrase opens. Nothing leaves
 * the computer while signed out.
 */
export const ServerUrlSchema = z
  .string()
  .trim()
  .max(200)
  .pipe(
    z.url({
      protocol: /^https?$/,
      message: 'Enter the sync server address, such as https://sync.example.org',
    }),
  );

const credentials = {
  serverUrl: ServerUrlSchema,
  email: z.string().trim().max(254).pipe(z.email('Enter an email address such as name@example.org')),
  password: z.string().min(1, 'Enter your password').max(1024),
};

export const AccountStatusSchema = z.discriminatedUnion('signedIn', [
  z.object({ signedIn: z.literal(false) }),
  z.object({
    signedIn: z.literal(true),
    serverUrl: z.string(),
    email: z.string(),
    /** Sync runs only once the passphrase has unlocked the account's key on this computer. */
    syncUnlocked: z.boolean(),
    syncing: z.boolean(),
    lastSyncedAt: z.string().nullable(),
    /** Why the last sync failed; null when it succeeded. */
    lastError: z.string().nullable(),
    /** Changes made here that the server has not received yet. */
    pending: z.number().int(),
  }),
]);
export type AccountStatus = z.infer<typeof AccountStatusSchema>;

export const accountProcedures = {
  'account.status': { input: z.object({}).default({}), output: AccountStatusSchema },
  /** Creates an account; the server emails a link to confirm the address before the first sign-in. */
  'account.signUp': {
    input: z.object({
      ...credentials,
      password: credentials.password.min(12, 'Choose a password of at least 12 characters'),
    }),
    output: z.object({ message: z.string() }),
  },
  'account.signIn': { input: z.object(credentials), output: AccountStatusSchema },
  /** Signs this computer out (its data stays here) and forgets its tokens and key. */
  'account.signOut': { input: z.object({}).default({}), output: AccountStatusSchema },
  /**
   * Unlocks sync on this computer with the sync passphrase, or sets it when the account has none
   * yet: then the recovery key comes back, once, to be written down.
   */
  'account.unlockSync': {
    input: z.object({ passphrase: z.string().min(1, 'Enter your sync passphrase').max(1024) }),
    output: z.object({ status: AccountStatusSchema, recoveryKey: z.string().nullable() }),
  },
  'account.syncNow': { input: z.object({}).default({}), output: AccountStatusSchema },
} as const;

export const accountEvents = {
  'account.changed': z.object({ status: AccountStatusSchema }),
} as const;
