import type { Feature } from '../../app/feature';
import './imports.css';

/**
 * The import kit the library and the lectures share (queue, drop zone, path field, status rows).
 * It has no pages of its own; it is listed for its styles.
 */
export const importsFeature: Feature = { id: 'imports' };
