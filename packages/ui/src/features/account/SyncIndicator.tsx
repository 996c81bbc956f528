import { Link } from 'react-router';
import { settingsPath } from '../settings/settings-link';
import { formatDateTime } from '../../app/format';
import { useAccountStatus } from './queries';

/** In the sidebar while signed in: whether this computer is in sync, and a way to Settings › Account. */
export function SyncIndicator() {
  const { data: status } = useAccountStatus();
  if (!status?.signedIn) return null;
  const text = !status.syncUnlocked
    ? 'Sync is waiting for your passphrase'
    : status.syncing
      ? 'Syncing…'
      : status.lastError
        ? 'Sync failed; it will try again'
        : status.lastSyncedAt
          ? `Synced ${formatDateTime(status.lastSyncedAt)}`
          : 'Not synced yet';
  return (
    <p className="sync-indicator" role="status" aria-label="Sync">
      <Link to={settingsPath('account')} className={status.lastError ? 'text-error' : undefined}>
        {text}
      </Link>
    </p>
  );
}
