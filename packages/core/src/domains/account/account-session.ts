/**
 * What this computer keeps of its account: the server and email (in the database), the tokens
 * and the unlocked sync key (in the OS keychain only). A keychain that cannot store them fails
 * the sign-in with its own message and nothing is kept.
 */
import { eq } from 'drizzle-orm';
import { SyncKey, tokensSchema, TokenSession, type Tokens } from '@little-monster/sync';
import { account } from '../../db/schema/account.js';
import type { DomainStore } from '../../db/store.js';
import type { SecretStore } from '../../secrets/secret-store.js';

const TOKENS = 'account.tokens';
const SYNC_KEY = 'account.sync-key';

export interface SignedInAccount {
  serverUrl: string;
  email: string;
  session: TokenSession;
  /** Absent until the sync passphrase unlocks it on this computer. */
  key: SyncKey | undefined;
}

export class AccountSession {
  constructor(
    private readonly store: DomainStore,
    private readonly secrets: SecretStore,
  ) {}

  /** The account this computer is signed in to, from the database and the keychain. */
  async load(): Promise<SignedInAccount | undefined> {
    const row = this.store.read.select().from(account).get();
    if (!row) return undefined;
    const tokens = tokensSchema.safeParse(JSON.parse((await this.secrets.get(TOKENS)) ?? 'null'));
    // Signed in here, but the keychain lost the tokens (a new keychain, a restore): sign in again.
    if (!tokens.success) return undefined;
    const exported = await this.secrets.get(SYNC_KEY);
    return {
      serverUrl: row.serverUrl,
      email: row.email,
      session: this.session(row.serverUrl, tokens.data),
      key: exported ? SyncKey.import(exported) : undefined,
    };
  }

  async save(serverUrl: string, email: string, tokens: Tokens): Promise<SignedInAccount> {
    await this.secrets.set(TOKENS, JSON.stringify(tokens));
    this.store.transaction((tx) => {
      tx.delete(account, eq(account.id, 1));
      tx.insert(account, { id: 1, serverUrl, email, signedInAt: new Date().toISOString() });
    });
    return { serverUrl, email, session: this.session(serverUrl, tokens), key: undefined };
  }

  async saveKey(key: SyncKey): Promise<void> {
    await this.secrets.set(SYNC_KEY, key.export());
  }

  async forget(): Promise<void> {
    await this.secrets.delete(TOKENS);
    await this.secrets.delete(SYNC_KEY);
    this.store.transaction((tx) => tx.delete(account, eq(account.id, 1)));
  }

  private session(serverUrl: string, tokens: Tokens): TokenSession {
    return new TokenSession(serverUrl, tokens, (rotated) =>
      this.secrets.set(TOKENS, JSON.stringify(rotated)),
    );
  }
}
