import { useEffect } from 'react';

/** Browser mode: the engine refused this page's token (it makes a new one each time it starts). */
export function TokenInvalidPage() {
  useEffect(() => {
    document.title = 'Access token no longer valid · Little Monster';
  }, []);
  return (
    <main className="full-page-message" role="alert">
      <h1>This page cannot reach your study engine</h1>
      <p>
        This page&apos;s access token is no longer valid. Open the address printed by <code>npm run web</code>
        .
      </p>
      <p className="muted">
        The engine makes a new token each time it starts, so old addresses stop working.
      </p>
    </main>
  );
}
