import type { Feature } from '../../app/feature';
import { ShortcutsSheet } from './ShortcutsSheet';
import './shortcuts.css';

/** `?`: the keyboard shortcuts, listed from the features' own keys. */
export const shortcutsFeature: Feature = {
  id: 'shortcuts',
  Overlay: ShortcutsSheet,
};
