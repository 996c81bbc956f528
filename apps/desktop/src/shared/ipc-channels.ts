/**
 * The only IPC channels between a window and the main process. The set is fixed and small so
 * the preload exposes nothing generic: one call channel, one event channel, one status channel.
 */
export const RPC_CHANNEL = 'rpc';
export const EVENT_CHANNEL = 'evt';
export const STATUS_CHANNEL = 'engine-status';
/** Asks main for the save dialog where a backup file goes; answered with the chosen path or null. */
export const SAVE_BACKUP_CHANNEL = 'save-backup-dialog';
/** Asks main for the save dialog where an exported deck (.apkg) goes; answered with the chosen path or null. */
export const SAVE_DECK_EXPORT_CHANNEL = 'save-deck-export-dialog';

/** What a window is told about the engine: it restarted ('reconnecting') and is back ('connected'). */
export type EngineStatus = 'connected' | 'reconnecting';
