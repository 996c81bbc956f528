import { hostname } from 'node:os';
import {
  acceptedSchema,
  createSyncKey,
  ServerApi,
  ServerApiError,
  syncKeySchema,
  syncOnce,
  tokensSchema,
  unlockSyncKey,
  type DeviceInfo,
  type SyncKey,
} from '@little-monster/sync';
import { AppError, type AccountStatus } from '../../contract/index.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import { AccountSession, type SignedInAccount } from './account-session.js';
import { accountError } from './account-errors.js';
import { SyncSchedule } from './sync-schedule.js';

/**
 * The optional account: sign up and sign in against a sync server, unlock sync with the
 * passphrase (the key it opens never leaves this computer), and keep this database in sync with
 * the student's other devices, now and in the background. Signed out, nothing is sent anywhere.
 */
export function createAccount(kit: DomainKit): DomainModule<ProceduresOf<'account'>> {
  const accounts = new AccountSession(kit.store, kit.secrets);
  const replica = kit.syncReplica({
    // A class deleted on another device: its materials, lectures and conversations stay here, in no class.
    onDeleted: ({ dataset, rowId }) => {
      if (dataset === 'classes') kit.events.emit('class.deleted', { id: rowId });
    },
    onReceived: (rows) =>
      kit.bus.emit('classes.changed', {
        ids: rows.filter((row) => row.dataset === 'classes').map((row) => row.rowId),
      }),
  });
  let current: SignedInAccount | undefined;
  let syncing = false;
  /** Syncs run one after another; asking during one runs another after it (it may have missed a change). */
  let queue = Promise.resolve();
  const schedule = new SyncSchedule(() => void syncNow());

  const status = (): AccountStatus =>
    current
      ? {
          signedIn: true,
          serverUrl: current.serverUrl,
          email: current.email,
          syncUnlocked: current.key !== undefined,
          syncing,
          ...replica.outcome(),
          pending: replica.pending(),
        }
      : { signedIn: false };
  const changed = () => kit.bus.emit('account.changed', { status: status() });
  const api = (signedIn: SignedInAccount) =>
    new ServerApi({ baseUrl: signedIn.serverUrl, session: signedIn.session });
  const signedIn = (): SignedInAccount => {
    if (!current) throw new AppError('CONFLICT', 'Sign in to your account first (Settings › Account).');
    return current;
  };

  const syncNow = () => (queue = queue.then(runSync));
  async function runSync(): Promise<void> {
    const account = current;
    if (!account?.key) return;
    syncing = true;
    changed();
    try {
      await syncOnce(replica, api(account).syncTransport(), account.key);
      replica.recordOutcome({ lastSyncedAt: new Date().toISOString(), lastError: null });
      schedule.succeeded();
    } catch (error) {
      kit.logger.warn({ err: error }, 'sync failed');
      replica.recordOutcome({ lastError: accountError(error).message });
      schedule.failed();
    } finally {
      syncing = false;
      changed();
    }
  }

  async function unlocked(account: SignedInAccount, key: SyncKey): Promise<void> {
    await accounts.saveKey(key);
    account.key = key;
    changed();
    schedule.start();
  }

  const guarded =
    <A, R>(work: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      try {
        return await work(args);
      } catch (error) {
        throw accountError(error);
      }
    };

  return {
    handlers: {
      'account.status': () => status(),
      'account.signUp': guarded(async ({ serverUrl, email, password }) =>
        new ServerApi({ baseUrl: serverUrl }).json('POST', '/v1/auth/register', acceptedSchema, {
          body: { email, password },
          auth: false,
        }),
      ),
      'account.signIn': guarded(async ({ serverUrl, email, password }) => {
        if (current)
          throw new AppError('CONFLICT', `This computer is signed in as ${current.email}. Sign out first.`);
        const tokens = await new ServerApi({ baseUrl: serverUrl }).json(
          'POST',
          '/v1/auth/login',
          tokensSchema,
          {
            body: { email, password, device: thisDevice() },
            auth: false,
          },
        );
        // Whatever an earlier account knew of this database is not this account's.
        replica.reset();
        current = await accounts.save(serverUrl, email.toLowerCase(), tokens);
        changed();
        return status();
      }),
      'account.signOut': guarded(async () => {
        const account = current;
        if (!account) return status();
        schedule.stop();
        current = undefined;
        await queue;
        // The server forgets this device's session; signing out here does not wait for it.
        await api(account)
          .send('POST', '/v1/auth/logout')
          .catch((error: unknown) => kit.logger.info({ err: error }, 'the server did not take the sign-out'));
        await accounts.forget();
        replica.reset();
        changed();
        return status();
      }),
      'account.unlockSync': guarded(async ({ passphrase }) => {
        const account = signedIn();
        const server = api(account);
        const stored = await server.json('GET', '/v1/sync/key', syncKeySchema).catch((error: unknown) => {
          if (error instanceof ServerApiError && error.code === 'NO_SYNC_KEY') return undefined;
          throw error;
        });
        if (stored) {
          await unlocked(account, await unlockSyncKey(stored.envelope, passphrase));
          void syncNow();
          return { status: status(), recoveryKey: null };
        }
        const created = await createSyncKey(passphrase);
        await server.json('PUT', '/v1/sync/key', syncKeySchema, { body: { envelope: created.envelope } });
        await unlocked(account, created.key);
        void syncNow();
        return { status: status(), recoveryKey: created.recoveryKey };
      }),
      'account.syncNow': async () => {
        const account = signedIn();
        if (!account.key)
          throw new AppError('CONFLICT', 'Unlock sync with your sync passphrase first (Settings › Account).');
        await syncNow();
        return status();
      },
    },
    async start() {
      try {
        current = await accounts.load();
      } catch (error) {
        kit.logger.warn(
          { err: error },
          'the account could not be read from the keychain; signed out for now',
        );
      }
      if (current?.key) schedule.start();
    },
    async close() {
      schedule.stop();
      await queue;
    },
  };
}

function thisDevice(): DeviceInfo {
  const platform = process.platform;
  return {
    name: hostname().trim().slice(0, 100) || 'Little Monster',
    platform: platform === 'linux' || platform === 'darwin' || platform === 'win32' ? platform : 'other',
  };
}
