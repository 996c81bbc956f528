import os from 'node:os';
import type { Logger } from 'pino';
import type { Embedder } from '../embedder/embedder.js';
import { LlamaCppEmbedder } from '../embedder/llama-cpp-embedder.js';
import { loadLlamaRuntime, type GpuPreference } from '../llama/llama-runtime.js';
import type { ModelManager } from '../../models/model-manager.js';

/**
 * The embedding model search uses: the one chosen in settings, or else the first installed
 * embedding model, so installing one is all a student has to do. Loaded on first use and
 * released when the choice changes or the engine closes.
 */
export class EmbedderSlot {
  private loaded: Embedder | null = null;
  private loading: Promise<Embedder | null> | undefined;
  /** Bumped at every change of mind, so a load that finishes late does not win. */
  private generation = 0;
  private closed = false;
  private readonly releasing = new Set<Promise<void>>();

  constructor(
    private readonly models: ModelManager,
    private readonly logger: Logger,
    /** The embedding model chosen in settings, if any. */
    private readonly chosen: () => string | null,
    /** "Use the graphics card" (settings). */
    private readonly gpu: () => GpuPreference,
    /** One core stays free for the rest of the app. */
    private readonly threads = Math.max(1, os.availableParallelism() - 1),
  ) {}

  /** The setting changed, or models were installed or removed: decide again at the next use. */
  reconsider(): void {
    this.generation += 1;
    this.release(this.loaded);
    this.loaded = null;
    this.loading = undefined;
  }

  /** The embedder, loading it if needed; null when no embedding model is installed. */
  current(): Promise<Embedder | null> {
    if (this.closed) return Promise.resolve(null);
    if (!this.loading) {
      const loading = this.load().catch((error: unknown) => {
        if (this.loading === loading) this.loading = undefined; // let a later call try again
        throw error;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /** The embedder if it is already loaded; otherwise starts loading it and answers null for now. */
  ifReady(): Embedder | null {
    if (!this.loaded && !this.closed) {
      this.current().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'embedding model did not load'),
      );
    }
    return this.loaded;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reconsider();
    await Promise.all(this.releasing);
  }

  private async load(): Promise<Embedder | null> {
    const generation = this.generation;
    const modelId = this.chosen() ?? (await this.firstInstalled());
    if (!modelId) return null;
    const modelPath = await this.models.installedPath(modelId);
    const { queryInstruction } = this.models.catalogEntry(modelId);
    const embedder = await LlamaCppEmbedder.load({
      modelPath,
      modelId,
      threads: this.threads,
      runtime: await loadLlamaRuntime(this.gpu()),
      ...(queryInstruction ? { queryInstruction } : {}),
    });
    if (this.closed || generation !== this.generation) {
      this.release(embedder);
      return this.current();
    }
    this.loaded = embedder;
    this.logger.info({ modelId, dimensions: embedder.dimensions }, 'embedding model loaded');
    return embedder;
  }

  /** Frees a model in the background; close() waits for every one of these. */
  private release(embedder: Embedder | null): void {
    if (!embedder) return;
    const released = embedder
      .close()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'embedding model did not close cleanly'))
      .finally(() => this.releasing.delete(released));
    this.releasing.add(released);
  }

  private async firstInstalled(): Promise<string | null> {
    const entries = await this.models.list();
    return entries.find((entry) => entry.kind === 'embedding' && entry.installed)?.id ?? null;
  }
}
