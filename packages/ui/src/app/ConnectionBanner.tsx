import { useUi } from './ui-store';

/** Says so while the engine cannot be reached; calls fail meanwhile and lists refresh when it is back. */
export function ConnectionBanner() {
  const { state, reason } = useUi((ui) => ui.connection);
  if (state === 'reconnecting') {
    return (
      <div className="banner banner-warning" role="status">
        <span className="spinner" aria-hidden="true" />
        Reconnecting to the engine…
        {reason === 'message too large' ? ' (the last message was too large to send)' : null}
      </div>
    );
  }
  if (state === 'closed') {
    return (
      <div className="banner banner-error" role="alert">
        The connection to the engine is closed.
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
  return null;
}
