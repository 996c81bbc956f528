import type { EngineEvent, Result } from '@little-monster/core/contract';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Why a connection changed state, when the UI has something specific to tell the student. */
export type ConnectionReason =
  /** The engine refused this page's access token (browser mode; a restarted engine makes a new one). */
  | 'unauthorized'
  /** The engine closed the connection because a message was larger than it accepts. */
  | 'message too large'
  | 'connection lost'
  | (string & {});

/** How the UI reaches the engine: typed calls answered with a Result, plus a stream of events. */
export interface Transport {
  /** Never throws: a transport failure answers `{ ok: false, error: { code: 'ENGINE_UNAVAILABLE', ... } }`. */
  call(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  state(): ConnectionState;
  onStateChange(listener: (state: ConnectionState, reason?: ConnectionReason) => void): () => void;
  /**
   * Moving whole files between the page and the engine, when this transport can (the browser mode,
   * over HTTP to the engine host). Undefined where files travel another way (the desktop app).
   */
  files?: FileAccess;
  /** Desktop: files the student chose or dropped are on this computer; the engine reads them by path. */
  localFiles?: LocalFiles;
}

export interface LocalFiles {
  /** The file's path on disk, or '' for a file that is not on disk (e.g. dragged from a web page). */
  pathOf(file: File): string;
  /** The system's save dialog for a backup file: the chosen path, or null when cancelled. */
  chooseBackupFile?(suggestedName: string): Promise<string | null>;
  /** The system's save dialog for an exported deck (.apkg): the chosen path, or null when cancelled. */
  chooseDeckExportFile?(suggestedName: string): Promise<string | null>;
}

export interface UploadOptions {
  onProgress?: (sent: number, total: number) => void;
  /** Aborting stops the upload; the promise then rejects with an UploadError whose `aborted` is true. */
  signal?: AbortSignal;
}

export interface FileAccess {
  /** Sends one file to the engine host; `materials.import` then takes it by `uploadId`. Rejects with an UploadError. */
  upload(file: File, options?: UploadOptions): Promise<{ uploadId: string; bytes: number }>;
  /** Where the page can load a material's stored original (pdf.js, <img>). */
  urlOf(materialId: string): string;
  /**
   * Where the page can play a lecture's recorded audio (<audio>, with HTTP Range for seeking).
   * Both transports give it; optional only so fakes made for other features need not.
   */
  recordingUrl?(lectureId: string): string;
  /** Where the browser downloads a deck as an Anki package (browser mode only). */
  deckExportUrl?(deckId: string): string;
}

/** What the Electron preload exposes as `window.littleMonster`. */
export interface EngineBridge {
  /** A rejection means the engine could not be reached (the transport answers ENGINE_UNAVAILABLE). */
  call(method: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** The engine's utilityProcess restarted ('reconnecting') and is back ('connected'). */
  onStatus(listener: (status: 'connected' | 'reconnecting') => void): () => void;
  /** Electron's webUtils.getPathForFile: where a chosen or dropped file is on disk. */
  pathForFile?(file: File): string;
  /** The system's save dialog for a backup file. */
  chooseBackupFile?(suggestedName: string): Promise<string | null>;
  /** The system's save dialog for an exported deck. */
  chooseDeckExportFile?(suggestedName: string): Promise<string | null>;
}
