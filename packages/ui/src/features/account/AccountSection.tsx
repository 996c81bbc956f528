import { useId, useState, type FormEvent } from 'react';
import type { AccountStatus } from '@little-monster/core/contract';
import { ErrorState, Loading } from '../../app/components/States';
import { explainError } from '../../app/error-messages';
import { formatDateTime } from '../../app/format';
import { useAccountStatus, useSignIn, useSignOut, useSignUp, useSyncNow, useUnlockSync } from './queries';

type SignedIn = Extract<AccountStatus, { signedIn: true }>;

/** Settings › Account: the optional account that keeps a student's devices in sync. */
export function AccountSection() {
  const status = useAccountStatus();
  return (
    <section className="card settings-section" aria-labelledby="account-heading">
      <h2 id="account-heading" className="card-title">
        Account
      </h2>
      <p className="muted">
        Optional. Signed in, your classes sync between your computers through the sync server, encrypted on
        this computer with a key only your sync passphrase opens. Signed out, nothing leaves this computer.
      </p>
      {status.isPending ? (
        <Loading label="Loading your account…" />
      ) : status.isError ? (
        <ErrorState error={status.error} what="your account" onRetry={() => void status.refetch()} />
      ) : status.data.signedIn ? (
        <AccountSync status={status.data} />
      ) : (
        <SignInForm />
      )}
    </section>
  );
}

/** A failed call's message, as the form shows it. */
const messageOf = (error: unknown) => (error ? explainError(error).message : null);

function FormAlert({ message }: { message: string | null }) {
  return message ? (
    <p className="form-alert span-2" role="alert">
      {message}
    </p>
  ) : null;
}

function SignInForm() {
  const signIn = useSignIn();
  const signUp = useSignUp();
  const [fields, setFields] = useState({ serverUrl: '', email: '', password: '' });
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const id = useId();
  const pending = signIn.isPending || signUp.isPending;
  const failure = messageOf(mode === 'sign-in' ? signIn.error : signUp.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mode === 'sign-in')
      signIn.mutate(fields, { onSuccess: () => setFields((all) => ({ ...all, password: '' })) });
    else signUp.mutate(fields, { onSuccess: () => setMode('sign-in') });
  }
  const field = (name: keyof typeof fields, label: string, type: string, autoComplete: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type={type}
        value={fields[name]}
        onChange={(event) => setFields((all) => ({ ...all, [name]: event.target.value }))}
        autoComplete={autoComplete}
        spellCheck={false}
        required
      />
    </div>
  );

  return (
    <form
      className="form-grid"
      onSubmit={submit}
      aria-label={mode === 'sign-in' ? 'Sign in' : 'Create an account'}
    >
      <FormAlert message={failure} />
      {mode === 'sign-in' && signUp.data ? (
        <p className="span-2" role="status">
          {signUp.data.message}
        </p>
      ) : null}
      {field('serverUrl', 'Sync server', 'url', 'url')}
      {field('email', 'Email', 'email', 'email')}
      {field('password', 'Password', 'password', mode === 'sign-in' ? 'current-password' : 'new-password')}
      <div className="row span-2">
        <button type="submit" className="button button-primary" disabled={pending}>
          {mode === 'sign-in'
            ? signIn.isPending
              ? 'Signing in…'
              : 'Sign in'
            : signUp.isPending
              ? 'Creating…'
              : 'Create account'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            signIn.reset();
            signUp.reset();
            setMode(mode === 'sign-in' ? 'sign-up' : 'sign-in');
          }}
        >
          {mode === 'sign-in' ? 'I need an account' : 'I have an account'}
        </button>
      </div>
    </form>
  );
}

function AccountSync({ status }: { status: SignedIn }) {
  const syncNow = useSyncNow();
  const signOut = useSignOut();
  // Shown once, after the passphrase is set on the first computer.
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Signed in as</dt>
          <dd>{status.email}</dd>
        </div>
        <div>
          <dt>Sync server</dt>
          <dd>
            <code className="path">{status.serverUrl}</code>
          </dd>
        </div>
        <div>
          <dt>Last synced</dt>
          <dd>
            {status.syncing
              ? 'Syncing now…'
              : status.lastSyncedAt
                ? formatDateTime(status.lastSyncedAt)
                : 'Not yet'}
          </dd>
        </div>
        <div>
          <dt>Waiting to sync</dt>
          <dd>{status.pending === 1 ? '1 change' : `${status.pending} changes`}</dd>
        </div>
      </dl>
      {status.lastError ? (
        <p className="form-alert" role="alert">
          The last sync failed: {status.lastError}
        </p>
      ) : null}
      {recoveryKey ? (
        <RecoveryKeyNotice recoveryKey={recoveryKey} onDone={() => setRecoveryKey(null)} />
      ) : null}
      {status.syncUnlocked ? null : <PassphraseForm onUnlocked={setRecoveryKey} />}
      <div className="row">
        {status.syncUnlocked ? (
          <button
            type="button"
            className="button button-primary"
            disabled={status.syncing || syncNow.isPending}
            onClick={() => syncNow.mutate(undefined)}
          >
            Sync now
          </button>
        ) : null}
        <button
          type="button"
          className="button button-danger-quiet"
          disabled={signOut.isPending}
          onClick={() => signOut.mutate(undefined)}
        >
          Sign out
        </button>
      </div>
      <FormAlert message={messageOf(syncNow.error ?? signOut.error)} />
    </>
  );
}

function RecoveryKeyNotice({ recoveryKey, onDone }: { recoveryKey: string; onDone(): void }) {
  return (
    <div className="card" role="status" aria-label="Recovery key">
      <p>
        <strong>Write down your recovery key</strong> and keep it somewhere safe. It opens your synced data if
        you forget the sync passphrase, and it is shown only now.
      </p>
      <p>
        <code className="path">{recoveryKey}</code>
      </p>
      <button type="button" className="button" onClick={onDone}>
        I have written it down
      </button>
    </div>
  );
}

/**
 * The sync passphrase: it unlocks the account's key on this computer (the first computer sets
 * it, and then sees the recovery key once). Neither leaves this computer.
 */
function PassphraseForm({ onUnlocked }: { onUnlocked(recoveryKey: string | null): void }) {
  const unlock = useUnlockSync();
  const [passphrase, setPassphrase] = useState('');
  const id = useId();

  return (
    <form
      className="form-grid"
      aria-label="Unlock sync"
      onSubmit={(event) => {
        event.preventDefault();
        unlock.mutate(passphrase, {
          onSuccess: ({ recoveryKey }) => {
            setPassphrase('');
            onUnlocked(recoveryKey);
          },
        });
      }}
    >
      <FormAlert message={messageOf(unlock.error)} />
      <div className="field span-2">
        <label htmlFor={`${id}-passphrase`}>Sync passphrase</label>
        <input
          id={`${id}-passphrase`}
          type="password"
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
          autoComplete="new-password"
          aria-describedby={`${id}-hint`}
          required
        />
        <p id={`${id}-hint`} className="field-hint">
          Your other computers use the same one. On the first, it is set now: choose at least 8 characters.
        </p>
      </div>
      <div className="row span-2">
        <button type="submit" className="button button-primary" disabled={unlock.isPending}>
          {unlock.isPending ? 'Unlocking…' : 'Unlock sync'}
        </button>
      </div>
    </form>
  );
}
