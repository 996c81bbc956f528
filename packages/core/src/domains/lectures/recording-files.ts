import { mkdir, open, readdir, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { syncFolder } from '../../storage/durable-files.js';

/**
 * The recordings folder: one audio file per lecture, written chunk by chunk. Every write is on
 * the disk before it returns, so what the recorder is told is stored survives a crash or a
 * power cut. A recording's file stays open while chunks arrive (one a second).
 */
export class RecordingFiles {
  private readonly handles = new Map<string, FileHandle>();

  constructor(readonly dir: string) {}

  pathOf(fileName: string): string {
    return join(this.dir, fileName);
  }

  /** Creates the empty file, with its name in the folder made durable too. */
  async create(fileName: string): Promise<void> {
    if (!(await stat(this.dir).catch(() => null))) {
      await mkdir(this.dir, { recursive: true });
      await syncFolder(dirname(this.dir));
    }
    const handle = await open(this.pathOf(fileName), 'wx');
    this.handles.set(fileName, handle);
    await handle.sync();
    await syncFolder(this.dir);
  }

  /**
   * Writes `data` at `offset` and cuts the file there: anything after it (a write that failed
   * half-way, a chunk never acknowledged) is replaced, so a chunk sent again lands in its place.
   */
  async write(fileName: string, offset: number, data: Uint8Array): Promise<void> {
    const handle = await this.handle(fileName);
    try {
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await handle.write(data, written, data.length - written, offset + written);
        written += bytesWritten;
      }
      await handle.truncate(offset + data.length);
      await handle.datasync();
    } catch (error) {
      // The next attempt starts from a fresh handle.
      await this.close(fileName);
      throw error;
    }
  }

  /** The file's size in bytes, or null when it does not exist. */
  async size(fileName: string): Promise<number | null> {
    const info = await stat(this.pathOf(fileName)).catch(() => null);
    return info?.size ?? null;
  }

  /** Drops what follows `size` (a chunk that was never acknowledged) and makes it durable. */
  async truncate(fileName: string, size: number): Promise<void> {
    await this.close(fileName);
    await truncate(this.pathOf(fileName), size);
    const handle = await open(this.pathOf(fileName), 'r+');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  async close(fileName: string): Promise<void> {
    const handle = this.handles.get(fileName);
    this.handles.delete(fileName);
    await handle?.close().catch(() => undefined);
  }

  async remove(fileName: string): Promise<void> {
    await this.close(fileName);
    await rm(this.pathOf(fileName), { force: true });
  }

  /** Names of the files in the folder ending with `suffix` (none when the folder does not exist yet). */
  async namesEndingWith(suffix: string): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((name) => name.endsWith(suffix));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.handles.keys()].map((name) => this.close(name)));
  }

  private async handle(fileName: string): Promise<FileHandle> {
    let handle = this.handles.get(fileName);
    if (!handle) {
      handle = await open(this.pathOf(fileName), 'r+');
      this.handles.set(fileName, handle);
    }
    return handle;
  }
}
