import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KeyringSecretStore } from './keyring-secret-store.js';

/**
 * The real OS keychain. The package's test script runs the suite inside a private D-Bus session
 * with an unlocked GNOME keyring (scripts/with-keyring.sh); without one the first test fails.
 */
describe('KeyringSecretStore', () => {
  it('stores, reads and deletes a secret in the system keychain', async () => {
    expect(
      process.env.DBUS_SESSION_BUS_ADDRESS,
      'no D-Bus session: run the tests through scripts/with-keyring.sh (npm test does), with dbus and gnome-keyring installed (scripts/install-system-deps.sh)',
    ).toBeTruthy();
    const store = new KeyringSecretStore(`Little Monster test ${process.pid}`);
    expect(await store.get('azure-key')).toBeNull();
    await store.set('azure-key', 's3cr3t-value');
    expect(await store.get('azure-key')).toBe('s3cr3t-value');
    await store.set('azure-key', 'rotated');
    expect(await store.get('azure-key')).toBe('rotated');
    await store.delete('azure-key');
    expect(await store.get('azure-key')).toBeNull();
    await store.delete('azure-key'); // deleting twice is fine
  });

  it('says secrets cannot be stored when no keychain answers, instead of falling back to a file', () => {
    // A child process with no D-Bus session, as on a Linux desktop without a keyring.
    const script = `
      import { KeyringSecretStore } from ${JSON.stringify(new URL('./keyring-secret-store.ts', import.meta.url).href)};
      try { await new KeyringSecretStore('Little Monster test').set('k', 'v'); console.log('stored'); }
      catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }
    `;
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
    });
    const outcome = JSON.parse(child.stdout.trim().split('\n').pop()!) as { code: string; message: string };
    expect(outcome.code).toBe('STORAGE_UNAVAILABLE');
    expect(outcome.message).toMatch(/cannot be stored.*Nothing was saved/);
  });
});
