import type { Feature } from '../../app/feature';
import { AccountSection } from './AccountSection';
import { accountKeys } from './query-keys';
import { SyncIndicator } from './SyncIndicator';
import './account.css';

/** The optional account: Settings › Account (sign in, passphrase, sync) and the sidebar's sync state. */
export const accountFeature: Feature = {
  id: 'account',
  settingsSection: { id: 'account', label: 'Account', Section: AccountSection },
  SidebarItem: SyncIndicator,
  events: {
    'account.changed': ({ status }, { queryClient }) => queryClient.setQueryData(accountKeys.status, status),
  },
  errorTexts: {
    fields: { serverUrl: 'Sync server', email: 'Email', password: 'Password', passphrase: 'Sync passphrase' },
  },
};
