import { constants } from 'node:fs';
import { access, copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { ModelEntry, ModelSource, ModelStatus } from '../contract/models.js';
import type { RegisteredJob } from '../jobs/job-handler.js';
import type { Catalog, CatalogEntry } from './catalog.js';
import { syncFile, syncFolder } from '../storage/durable-files.js';
import { formatBytes } from '../format-bytes.js';
import { manifestFile, readManifest, writeManifest, type InstalledManifest } from './installed-manifest.js';
import { memoryFit } from './memory-fit.js';
import { modelDownloadJob } from './model-download-job.js';
import {
  ModelDownloader,
  partFile,
  sha256OfFile,
  statfsFreeBytes,
  type DownloadOptions,
  type FreeBytes,
} from './model-downloader.js';
import { checkModelFile } from './model-file-format.js';

export interface ModelManagerOptions {
  catalog: Catalog;
  modelsDir: string;
  /** Defaults to the drive's real free space; tests pass a smaller number. */
  freeBytes?: FreeBytes;
  downloader?: ModelDownloader;
  /** Defaults to this computer's memory. */
  totalMemoryBytes?: number;
  /** Told after a model was installed (downloaded or from a file) or deleted. */
  onChange?: (id: string) => void;
}

interface InstalledState {
  status: ModelStatus;
  fileBytes: number | null;
  partBytes: number | null;
  manifest: InstalledManifest | null;
}

const IMPORT_SUFFIX = '.importing';
const IMPORT_HEADROOM_BYTES = 32 * 1024 * 1024;

/**
 * The models on this computer. The folder is the truth: `<modelsDir>/<fileName>` is a model, its
 * sidecar `<fileName>.json` records how it was checked, `<fileName>.part` is a download to resume.
 */
export class ModelManager {
  readonly modelsDir: string;
  private readonly entriesById: Map<string, CatalogEntry>;
  private readonly freeBytes: FreeBytes;
  private readonly downloader: ModelDownloader;
  private readonly totalMemoryBytes: number;
  private readonly onChange: ((id: string) => void) | undefined;
  /** Models with a download or import under way in this process: their files must not be touched. */
  private readonly busy = new Set<string>();
  /** The latest download job of each model, so the UI can follow it and a second click joins it. */
  private readonly downloadJobs = new Map<string, string>();

  constructor(options: ModelManagerOptions) {
    this.modelsDir = options.modelsDir;
    this.entriesById = new Map(options.catalog.models.map((entry) => [entry.id, entry]));
    this.freeBytes = options.freeBytes ?? statfsFreeBytes;
    this.downloader = options.downloader ?? new ModelDownloader({ freeBytes: this.freeBytes });
    this.totalMemoryBytes = options.totalMemoryBytes ?? totalmem();
    this.onChange = options.onChange;
  }

  catalogEntry(id: string): CatalogEntry {
    const entry = this.entriesById.get(id);
    if (!entry) throw new AppError('NOT_FOUND', `There is no model "${id}" in this app's catalog.`);
    return entry;
  }

  filePath(id: string): string {
    return join(this.modelsDir, this.catalogEntry(id).fileName);
  }

  async list(): Promise<ModelEntry[]> {
    return Promise.all([...this.entriesById.keys()].map((id) => this.describe(id)));
  }

  async describe(id: string): Promise<ModelEntry> {
    const entry = this.catalogEntry(id);
    const state = await this.inspect(entry);
    const source: ModelSource | undefined =
      state.fileBytes === null ? undefined : (state.manifest?.source ?? 'file');
    return {
      id: entry.id,
      kind: entry.kind,
      name: entry.name,
      description: entry.description,
      format: entry.format,
      bytes: entry.bytes,
      license: entry.license,
      ramBytes: entry.ramBytes,
      verified: entry.verified,
      url: entry.url,
      status: state.status,
      installed: state.status === 'installed',
      ...(state.fileBytes === null ? {} : { installedBytes: state.fileBytes }),
      ...(state.partBytes === null ? {} : { partialBytes: state.partBytes }),
      ...(source ? { source } : {}),
      ...memoryFit(entry.ramBytes, this.totalMemoryBytes),
    };
  }

  /** Where an AI feature loads the model from; a missing or damaged model says how to fix it. */
  async installedPath(id: string): Promise<string> {
    const entry = this.catalogEntry(id);
    const state = await this.inspect(entry);
    if (state.status === 'damaged') {
      throw new AppError(
        'MODEL_NOT_INSTALLED',
        `The ${entry.name} model file is damaged (it is not the file the catalog describes). Delete it and install it again in Settings › Models.`,
      );
    }
    if (state.status !== 'installed')
      throw new AppError(
        'MODEL_NOT_INSTALLED',
        `Install the ${entry.name} model in Settings › Models first.`,
      );
    return this.filePath(id);
  }

  /** Downloads a catalog model (resuming an interrupted download) and records it as installed. */
  async download(
    id: string,
    options: Pick<DownloadOptions, 'signal' | 'onProgress'> = {},
  ): Promise<ModelEntry> {
    const entry = this.catalogEntry(id);
    await this.exclusively(entry, async () => {
      // Already there (a retried job, or a file put in by hand): nothing to fetch.
      if ((await this.inspect(entry)).status === 'installed') return;
      const file = this.filePath(id);
      const result = await this.downloader.download(entry.url, file, {
        ...options,
        expectedBytes: entry.bytes,
        sha256: entry.sha256,
        // A checksum proves the bytes; without one, at least refuse a file of the wrong kind.
        verify: async (part) => void (await checkModelFile(part, entry.format)),
      });
      const manifest: InstalledManifest = {
        id,
        sha256: result.sha256,
        bytes: result.bytes,
        source: 'download',
        verified: entry.sha256 !== null,
        installedAt: new Date().toISOString(),
      };
      await writeManifest(file, manifest);
    });
    return this.describe(id);
  }

  /**
   * "Use a file I already have": checks the file is this catalog model (format by its header,
   * size, sha256), then links or copies it into the models folder in one atomic step.
   */
  async installFromFile(id: string, sourcePath: string): Promise<ModelEntry> {
    const entry = this.catalogEntry(id);
    if (!isAbsolute(sourcePath)) {
      throw new AppError(
        'INVALID_INPUT',
        'Give the full path of the model file, starting from the top of the drive (for example /home/you/Downloads/model.gguf or C:\\Users\\you\\Downloads\\model.gguf).',
      );
    }
    const source = resolve(sourcePath);
    await this.exclusively(entry, async () => {
      const size = await sourceSize(source);
      await checkModelFile(source, entry.format);
      if (size !== entry.bytes) {
        throw new AppError(
          'INVALID_INPUT',
          `This file is ${formatBytes(size)} (${size.toLocaleString('en')} bytes) but ${entry.name} is ${entry.bytes.toLocaleString('en')} bytes: it is a different build of the model, or an incomplete copy. Use the file from ${entry.url}.`,
        );
      }
      const file = this.filePath(id);
      // The student may point at the file already in the models folder: check it where it is.
      const sha256 =
        source === resolve(file)
          ? checkedChecksum(entry, await sha256OfFile(file))
          : await this.placeCopy(entry, source, file);
      await rm(partFile(file), { force: true });
      await writeManifest(file, {
        id,
        sha256,
        bytes: size,
        source: 'file',
        verified: entry.sha256 !== null,
        installedAt: new Date().toISOString(),
      });
    });
    return this.describe(id);
  }

  async delete(id: string): Promise<void> {
    const entry = this.catalogEntry(id);
    await this.exclusively(entry, async () => {
      const file = this.filePath(id);
      const leftovers = [file, manifestFile(file), partFile(file), `${file}${IMPORT_SUFFIX}`];
      const existing = await Promise.all(leftovers.map((path) => sizeOrNull(path)));
      if (existing.every((size) => size === null))
        throw new AppError('NOT_FOUND', `The ${entry.name} model is not installed.`);
      try {
        // The model file goes first: once it is gone, nothing can load a half-deleted model.
        for (const path of leftovers) await rm(path, { force: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EBUSY' || code === 'EPERM') {
          throw new AppError(
            'CONFLICT',
            `The ${entry.name} model is in use. Wait for the feature using it to finish, then delete it again.`,
          );
        }
        throw error;
      }
    });
  }

  /** The background job that downloads a model, for the job queue to register. */
  downloadJob(): RegisteredJob {
    return modelDownloadJob(this);
  }

  rememberDownloadJob(id: string, jobId: string): void {
    this.downloadJobs.set(id, jobId);
  }

  downloadJobOf(id: string): string | undefined {
    return this.downloadJobs.get(id);
  }

  forgetDownloadJob(id: string, jobId: string): void {
    if (this.downloadJobs.get(id) === jobId) this.downloadJobs.delete(id);
  }

  private async inspect(entry: CatalogEntry): Promise<InstalledState> {
    const file = join(this.modelsDir, entry.fileName);
    const [fileBytes, partBytes, manifest] = await Promise.all([
      sizeOrNull(file),
      sizeOrNull(partFile(file)),
      readManifest(file),
    ]);
    if (fileBytes === null)
      return { status: partBytes ? 'partial' : 'missing', fileBytes, partBytes, manifest };
    // A file without a manifest (copied in by hand, or by an offline installer) counts when its size is right.
    const matches =
      fileBytes === entry.bytes &&
      (manifest === null ||
        (manifest.bytes === fileBytes && (entry.sha256 === null || manifest.sha256 === entry.sha256)));
    return { status: matches ? 'installed' : 'damaged', fileBytes, partBytes, manifest };
  }

  /** Links the file in when it is on the same drive (instant, no space), copies it otherwise; returns its sha256. */
  private async placeCopy(entry: CatalogEntry, source: string, file: string): Promise<string> {
    await mkdir(this.modelsDir, { recursive: true });
    const staging = `${file}${IMPORT_SUFFIX}`;
    await rm(staging, { force: true });
    try {
      let copied = false;
      try {
        await link(source, staging);
      } catch {
        await this.ensureSpaceForCopy(entry);
        await copyFile(source, staging);
        copied = true;
      }
      const sha256 = checkedChecksum(entry, await sha256OfFile(staging));
      if (copied) await syncFile(staging);
      await rename(staging, file);
      await syncFolder(this.modelsDir);
      return sha256;
    } catch (error) {
      await rm(staging, { force: true });
      throw error;
    }
  }

  private async ensureSpaceForCopy(entry: CatalogEntry): Promise<void> {
    const needed = entry.bytes + IMPORT_HEADROOM_BYTES;
    const free = await this.freeBytes(this.modelsDir);
    if (needed > free) {
      throw new AppError(
        'STORAGE_UNAVAILABLE',
        `Not enough free disk space to copy this model: it needs ${formatBytes(needed)} and the drive with the models folder (${this.modelsDir}) has ${formatBytes(free)} free. Free some space and try again.`,
      );
    }
  }

  /** One download, import or deletion per model at a time, so no two of them touch its files at once. */
  private async exclusively<T>(entry: CatalogEntry, work: () => Promise<T>): Promise<T> {
    if (this.busy.has(entry.id)) {
      throw new AppError(
        'CONFLICT',
        `The ${entry.name} model is being downloaded or installed right now. Wait for that to finish (or cancel it) and try again.`,
      );
    }
    this.busy.add(entry.id);
    try {
      const result = await work();
      this.onChange?.(entry.id);
      return result;
    } finally {
      this.busy.delete(entry.id);
    }
  }
}

/** The file's sha256 when it is the catalog's (or the catalog has none); otherwise why it is refused. */
function checkedChecksum(entry: CatalogEntry, sha256: string): string {
  if (entry.sha256 === null || sha256 === entry.sha256) return sha256;
  throw new AppError(
    'INVALID_INPUT',
    `This file is a different build from the catalog's ${entry.name}: its sha256 is ${sha256.slice(0, 12)}…, the catalog expects ${entry.sha256.slice(0, 12)}…. Use the exact file from ${entry.url}, or download it here.`,
  );
}

async function sizeOrNull(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The size of the file the student pointed at, or a sentence saying why it cannot be used. */
async function sourceSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new AppError('INVALID_INPUT', `${path} is a folder. Give the path of the model file inside it.`);
    await access(path, constants.R_OK);
    return info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new AppError('INVALID_INPUT', `There is no file at ${path}. Check the path and try again.`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new AppError(
        'INVALID_INPUT',
        `Little Monster is not allowed to read ${path}. Move the file to your Downloads or Documents folder and try again.`,
      );
    }
    throw error;
  }
}
