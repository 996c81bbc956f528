export interface NavItem {
  path: string;
  label: string;
  /** Second key of the "g then key" shortcut. */
  key: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'Dashboard', key: 'd' },
  { path: '/classes', label: 'Classes', key: 'c' },
  { path: '/library', label: 'Library', key: 'l' },
  { path: '/lectures', label: 'Lectures', key: 'r' },
  { path: '/tutor', label: 'Tutor', key: 't' },
  { path: '/study', label: 'Study', key: 'y' },
  { path: '/settings', label: 'Settings', key: 's' },
];
