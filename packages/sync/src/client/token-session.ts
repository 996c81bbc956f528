/**
 * A signed-in device's tokens as an {@link ApiSession}: the access token until the server
 * refuses it, then one refresh (which rotates the refresh token; the new pair goes to `saved`,
 * for the OS keychain). Concurrent requests share one refresh: sending a refresh token twice
 * looks like theft to the server, which then signs the device out.
 */
import { tokensSchema, type Tokens } from '../api.js';
import { ServerApi, type ApiSession } from './server-api.js';

export class TokenSession implements ApiSession {
  private refreshing: Promise<string> | undefined;

  constructor(
    private readonly baseUrl: string,
    private current: Tokens,
    private readonly saved: (tokens: Tokens) => Promise<void> | void = () => {},
  ) {}

  get tokens(): Tokens {
    return this.current;
  }

  async accessToken(): Promise<string> {
    return this.current.accessToken;
  }

  refresh(): Promise<string> {
    this.refreshing ??= (async () => {
      try {
        this.current = await new ServerApi({ baseUrl: this.baseUrl }).json(
          'POST',
          '/v1/auth/refresh',
          tokensSchema,
          {
            body: { refreshToken: this.current.refreshToken },
            auth: false,
          },
        );
        await this.saved(this.current);
        return this.current.accessToken;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}
