import { screen, waitFor, within } from '@testing-library/react';
import type { AccountStatus } from '@little-monster/core/contract';
import { describe, expect, it } from 'vitest';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';

const SERVER = 'https://sync.example.org';
const EMAIL = 'ana@example.org';
const PASSWORD = 'a long enough password';
const RECOVERY_KEY = 'RK-7F3Q-92LD-0AXM-55TT-HB2C-PE4W-1NZR';

/** A test engine whose account behaves as the engine's: sign-in, passphrase, sync, sign-out. */
function accountEngine() {
  const engine = createTestEngine();
  let status: AccountStatus = { signedIn: false };
  const signedIn = (fields: Partial<Extract<AccountStatus, { signedIn: true }>> = {}): AccountStatus => {
    const base =
      status.signedIn === true
        ? status
        : { signedIn: true as const, serverUrl: SERVER, email: EMAIL, syncUnlocked: false, syncing: false };
    return (status = { lastSyncedAt: null, lastError: null, pending: 2, ...base, ...fields });
  };
  Object.assign(engine.handlers, {
    'account.status': () => status,
    'account.signUp': () => ({ message: 'Check your email for a link to confirm it, then sign in.' }),
    'account.signIn': ({ password }: { password: string }) => {
      if (password !== PASSWORD) throw rpcError('UNAUTHORIZED', 'The email or password is wrong.');
      return signedIn();
    },
    'account.unlockSync': ({ passphrase }: { passphrase: string }) => {
      if (passphrase !== 'tulips in the lab')
        throw rpcError(
          'UNAUTHORIZED',
          'The sync passphrase is wrong. Type it again, or use your recovery key.',
        );
      return { status: signedIn({ syncUnlocked: true }), recoveryKey: RECOVERY_KEY };
    },
    'account.syncNow': () => signedIn({ lastSyncedAt: '2026-12-07T18:30:00.000Z', pending: 0 }),
    'account.signOut': () => (status = { signedIn: false }),
  });
  return engine;
}

const accountSection = () => screen.findByRole('region', { name: 'Account' });

describe('Settings › Account', () => {
  it(
    'creates an account, signs in, sets the passphrase, shows the recovery key once, syncs and signs out',
    { timeout: 30_000 },
    async () => {
      const engine = accountEngine();
      const { user } = renderApp(engine, '/settings/account');
      const section = await accountSection();
      expect(section).toHaveTextContent('Signed out, nothing leaves this computer.');

      await user.click(await within(section).findByRole('button', { name: 'I need an account' }));
      await user.type(within(section).getByLabelText('Sync server'), SERVER);
      await user.type(within(section).getByLabelText('Email'), EMAIL);
      await user.type(within(section).getByLabelText('Password'), PASSWORD);
      await user.click(within(section).getByRole('button', { name: 'Create account' }));
      expect(await within(section).findByRole('status')).toHaveTextContent('Check your email');
      expect(engine.callsTo('account.signUp')).toEqual([
        { serverUrl: SERVER, email: EMAIL, password: PASSWORD },
      ]);

      // Back on the sign-in form with the same server and email.
      await user.type(within(section).getByLabelText('Password'), 'wrong password');
      await user.click(within(section).getByRole('button', { name: 'Sign in' }));
      expect(await within(section).findByRole('alert')).toHaveTextContent('The email or password is wrong.');
      await user.clear(within(section).getByLabelText('Password'));
      await user.type(within(section).getByLabelText('Password'), PASSWORD);
      await user.click(within(section).getByRole('button', { name: 'Sign in' }));

      expect(await within(section).findByText(EMAIL)).toBeInTheDocument();
      expect(section).toHaveTextContent('2 changes');
      expect(within(section).queryByRole('button', { name: 'Sync now' })).toBeNull();

      await user.type(within(section).getByLabelText('Sync passphrase'), 'tulips in the kitchen');
      await user.click(within(section).getByRole('button', { name: 'Unlock sync' }));
      expect(await within(section).findByRole('alert')).toHaveTextContent('The sync passphrase is wrong.');
      await user.clear(within(section).getByLabelText('Sync passphrase'));
      await user.type(within(section).getByLabelText('Sync passphrase'), 'tulips in the lab');
      await user.click(within(section).getByRole('button', { name: 'Unlock sync' }));

      const notice = await within(section).findByRole('status', { name: 'Recovery key' });
      expect(notice).toHaveTextContent(RECOVERY_KEY);
      await user.click(within(notice).getByRole('button', { name: 'I have written it down' }));
      expect(section).not.toHaveTextContent(RECOVERY_KEY);

      await user.click(within(section).getByRole('button', { name: 'Sync now' }));
      await waitFor(() => expect(section).toHaveTextContent('0 changes'));
      expect(section).not.toHaveTextContent('Not yet');
      // The sidebar says so too.
      expect(screen.getByRole('status', { name: 'Sync' })).toHaveTextContent(/^Synced /);

      await user.click(within(section).getByRole('button', { name: 'Sign out' }));
      expect(await within(section).findByRole('form', { name: 'Sign in' })).toBeInTheDocument();
      expect(screen.queryByRole('status', { name: 'Sync' })).toBeNull();
    },
  );

  it('shows why the last sync failed', async () => {
    const engine = accountEngine();
    engine.handlers['account.status'] = () => ({
      signedIn: true,
      serverUrl: SERVER,
      email: EMAIL,
      syncUnlocked: true,
      syncing: false,
      lastSyncedAt: null,
      lastError: `The sync server at ${SERVER} could not be reached; changes stay on this computer until it can.`,
      pending: 3,
    });
    renderApp(engine, '/settings/account');
    const section = await accountSection();
    expect(await within(section).findByRole('alert')).toHaveTextContent('could not be reached');
    expect(section).toHaveTextContent('3 changes');
    expect(screen.getByRole('status', { name: 'Sync' })).toHaveTextContent('Sync failed; it will try again');
  });
});
