import type { Feature } from '../../app/feature';
import { CommandPalette } from './CommandPalette';
import './palette.css';

/** Ctrl/Cmd+K: go anywhere, start something, or open a search hit. */
export const paletteFeature: Feature = {
  id: 'palette',
  Overlay: CommandPalette,
};
