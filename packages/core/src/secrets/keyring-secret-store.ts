import { AppError } from '../contract/index.js';
import type { SecretStore } from './secret-store.js';

const UNAVAILABLE =
  'Secrets cannot be stored on this computer because no system keychain is available ' +
  '(on Linux, install and unlock GNOME Keyring or KWallet). Nothing was saved.';

/**
 * Secrets in the OS keychain (Keychain, Credential Manager, Secret Service) through
 * @napi-rs/keyring. When no keychain answers we fail loudly instead of falling back to a file.
 */
export class KeyringSecretStore implements SecretStore {
  constructor(private readonly service: string) {}

  async get(name: string): Promise<string | null> {
    const entry = await this.entry(name);
    return this.guard(() => entry.getPassword() ?? null);
  }

  async set(name: string, value: string): Promise<void> {
    const entry = await this.entry(name);
    this.guard(() => entry.setPassword(value));
  }

  async delete(name: string): Promise<void> {
    const entry = await this.entry(name);
    this.guard(() => {
      // Deleting what is not there is not an error for the caller.
      if (entry.getPassword() !== null) entry.deletePassword();
    });
  }

  private async entry(name: string) {
    const { Entry } = await import('@napi-rs/keyring');
    return new Entry(this.service, name);
  }

  private guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw new AppError('STORAGE_UNAVAILABLE', UNAVAILABLE, { cause: String(error) });
    }
  }
}
