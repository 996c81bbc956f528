import type { FileHandle } from 'node:fs/promises';

/** Thrown when a structure runs past the end of the file. */
export class TruncatedFileError extends Error {
  constructor(
    readonly fileBytes: number,
    /** How long the file should be at least, when the header tells. */
    readonly neededBytes: number | null,
    detail?: string,
  ) {
    super(detail ?? `The file ends at byte ${fileBytes} but needs at least ${neededBytes}`);
    this.name = 'TruncatedFileError';
  }
}

const CHUNK = 1024 * 1024;

/**
 * Reads a file front to back in little-endian pieces, through a 1 MiB window, so a header with
 * a large vocabulary costs a few reads and skipping tensor data costs none.
 */
export class SequentialFileReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  position = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  get remaining(): number {
    return this.size - this.position;
  }

  skip(count: number | bigint): void {
    const end = this.position + Number(count);
    if (end > this.size) throw new TruncatedFileError(this.size, end);
    this.position = end;
  }

  async bytes(count: number): Promise<Buffer> {
    await this.ensure(count);
    const offset = this.position - this.windowStart;
    this.position += count;
    return this.window.subarray(offset, offset + count);
  }

  async u8(): Promise<number> {
    return (await this.bytes(1)).readUInt8(0);
  }

  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }

  async i32(): Promise<number> {
    return (await this.bytes(4)).readInt32LE(0);
  }

  async u64(): Promise<bigint> {
    return (await this.bytes(8)).readBigUInt64LE(0);
  }

  private async ensure(count: number): Promise<void> {
    const end = this.position + count;
    if (end > this.size) throw new TruncatedFileError(this.size, end);
    if (this.position >= this.windowStart && end <= this.windowStart + this.window.length) return;
    const length = Math.min(Math.max(count, CHUNK), this.size - this.position);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, this.position);
    // The file shrank while we read it: treat it like any other short file.
    if (bytesRead < count) throw new TruncatedFileError(this.position + bytesRead, end);
    this.window = buffer.subarray(0, bytesRead);
    this.windowStart = this.position;
  }
}

/** A file that has the right magic but a header that cannot belong to a real model. */
export class DamagedModelError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DamagedModelError';
  }
}
