import { useEffect } from 'react';
import { hasAccessToken } from '../transport/browser-token';

/**
 * Browser mode: the engine refused this page's token (it makes a new one each time it starts),
 * or the page was opened without one (its bare address, a bookmark).
 */
export function TokenInvalidPage() {
  const hadToken = hasAccessToken();
  useEffect(() => {
    document.title = `${hadToken ? 'Access token no longer valid' : 'Access token missing'} · Little Monster`;
  }, [hadToken]);
  return (
    <main className="full-page-message" role="alert">
      <h1>This page cannot reach your study engine</h1>
      <p>
        {hadToken
          ? 'This page’s access token is no longer valid.'
          : 'This page was opened without its access token.'}{' '}
        Open the address printed by <code>npm run web</code>, which includes it.
      </p>
      <p className="muted">
        The engine makes a new token each time it starts, so old addresses stop working.
      </p>
    </main>
  );
}
