const TOKEN_KEY = 'littleMonster.token';

type BrowserWindow = Pick<Window, 'location' | 'history' | 'sessionStorage'>;

/**
 * Browser mode: the engine prints `http://127.0.0.1:PORT/?token=TOKEN`. Keep the token for this
 * tab (so a reload still works) and take it out of the address bar (so it is not copied or shared).
 */
export function takeAccessToken(win: BrowserWindow = window): string | null {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works until the page is reloaded.
    }
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Whether this tab was given an access token (a refused page may have been opened without one). */
export function hasAccessToken(win: Pick<Window, 'sessionStorage'> = window): boolean {
  try {
    return win.sessionStorage.getItem(TOKEN_KEY) !== null;
  } catch {
    return false;
  }
}

/** The engine host's WebSocket address for the page it served. */
export function engineSocketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}/rpc${query}`;
}
