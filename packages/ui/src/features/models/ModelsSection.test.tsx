import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { err, type ModelEntry } from '@little-monster/core/contract';
import { describe, expect, it } from 'vitest';
import { EngineContext } from '../../app/engine-context';
import { connectEngineEvents } from '../../app/engine-events';
import { createFeatureRegistry, FeatureRegistryContext } from '../../app/feature-registry';
import { FEATURES } from '../../app/features';
import { createAppQueryClient } from '../../app/query-client';
import { createUiStore, UiStoreContext } from '../../app/ui-store';
import { createEngineClient } from '../../transport/client';
import type { Transport } from '../../transport/types';
import { createTestEngine, makeJob, type TestEngine } from '../../test-support/test-engine';
import { ModelsSection } from './ModelsSection';

const MB = 1024 * 1024;

function catalogModel(fields: Partial<ModelEntry> = {}): ModelEntry {
  return {
    id: 'bge-small-en-v1.5-f16',
    kind: 'embedding',
    name: 'BGE small English v1.5 (F16)',
    description: 'English text embeddings.',
    format: 'gguf',
    bytes: 64 * MB,
    license: 'MIT',
    ramBytes: 256 * MB,
    verified: true,
    url: 'https://huggingface.co/ggml-org/models/resolve/abc/bert-bge-small/ggml-model-f16.gguf',
    status: 'missing',
    installed: false,
    fitsMemory: true,
    memoryNote: 'Needs about 256 MB of memory; this computer has 16 GB.',
    ...fields,
  };
}

interface ModelsEngine extends TestEngine {
  models: ModelEntry[];
  /** Answers `models.installFromFile`; throw a Result error to refuse. */
  installFromFile(input: { id: string; path: string }): ModelEntry;
  modelCalls: { method: string; input: unknown }[];
}

/**
 * The shared test engine, plus the models procedures answered here (they reach the memory
 * transport's contract check once the lead registers them; until then this layer answers them).
 */
function createModelsEngine(models: ModelEntry[]): { engine: ModelsEngine; transport: Transport } {
  const base = createTestEngine();
  const engine = Object.assign(base, {
    models,
    modelCalls: [] as { method: string; input: unknown }[],
    installFromFile: ({ id }: { id: string; path: string }) => {
      const model = engine.models.find((m) => m.id === id)!;
      Object.assign(model, {
        status: 'installed',
        installed: true,
        source: 'file',
        installedBytes: model.bytes,
      });
      return model;
    },
  });
  const answer = async (method: string, input: { id: string; path: string }) => {
    switch (method) {
      case 'models.list':
        return structuredClone(engine.models);
      case 'models.download': {
        const job = makeJob({ kind: 'model.download', title: `Download ${input.id}` });
        engine.jobs.push(job);
        engine.models = engine.models.map((m) => (m.id === input.id ? { ...m, downloadJobId: job.id } : m));
        queueMicrotask(() => base.transport.emit({ name: 'job.updated', payload: { job } }));
        return { jobId: job.id };
      }
      case 'models.installFromFile':
        return engine.installFromFile(input);
      case 'models.delete':
        engine.models = engine.models.map((m) =>
          m.id === input.id ? catalogModel({ id: m.id, name: m.name }) : m,
        );
        return { id: input.id };
    }
    throw new Error(`unexpected ${method}`);
  };
  const transport: Transport = {
    ...base.transport,
    async call(method, input) {
      if (!method.startsWith('models.')) return base.transport.call(method, input);
      engine.modelCalls.push({ method, input });
      try {
        return { ok: true, value: await answer(method, input as { id: string; path: string }) };
      } catch (error) {
        const { code, message } = error as { code: 'INVALID_INPUT'; message: string };
        return err(code, message);
      }
    },
  };
  return { engine, transport };
}

function renderSection(transport: Transport) {
  const store = createUiStore({ state: transport.state() });
  const registry = createFeatureRegistry(FEATURES);
  const queryClient = createAppQueryClient(store, registry.errorTexts);
  connectEngineEvents(transport, queryClient, store, registry);
  const user = userEvent.setup();
  render(
    <UiStoreContext.Provider value={store}>
      <EngineContext.Provider value={createEngineClient(transport)}>
        <QueryClientProvider client={queryClient}>
          <FeatureRegistryContext.Provider value={registry}>
            <MemoryRouter>
              <ModelsSection />
            </MemoryRouter>
          </FeatureRegistryContext.Provider>
        </QueryClientProvider>
      </EngineContext.Provider>
    </UiStoreContext.Provider>,
  );
  return { user };
}

const modelItem = (name: string) =>
  screen.findByRole('listitem', { name: new RegExp(name.replace(/[()]/g, '\\$&')) });

describe('Settings › Models', () => {
  it('groups the models by purpose, each group with one recommended for this computer first', async () => {
    const { engine, transport } = createModelsEngine([
      catalogModel(),
      catalogModel({ id: 'minilm', name: 'MiniLM', kind: 'embedding' }),
      catalogModel({ id: 'whisper-small.en', name: 'Whisper small', kind: 'stt' }),
      catalogModel({ id: 'whisper-base.en-q5_1', name: 'Whisper base', kind: 'stt' }),
      catalogModel({ id: 'whisper-tiny.en', name: 'Whisper tiny', kind: 'stt', fitsMemory: false }),
      catalogModel({ id: 'big-llm', name: 'Big chat', kind: 'llm' }),
      catalogModel({ id: 'small-llm', name: 'Small chat', kind: 'llm' }),
      catalogModel({ id: 'voice', name: 'A voice', kind: 'tts' }),
    ]);
    engine.handlers['tutor.status'] = () => ({
      choice: { kind: 'auto' },
      engine: null,
      unavailableReason: 'No tutor model is installed on this computer.',
      localModels: [],
      cloud: [],
      suggestedModelId: 'small-llm',
    });
    renderSection(transport);
    await screen.findByRole('list', { name: 'Chat models' });
    const models = screen.getByRole('heading', { level: 2, name: 'Models' }).closest('section')!;
    expect(
      within(models)
        .getAllByRole('heading', { level: 3 })
        .map((heading) => heading.textContent),
    ).toEqual(['Chat', 'Speech', 'Search']);
    const names = (list: string) =>
      within(screen.getByRole('list', { name: list }))
        .getAllByRole('listitem')
        .map((item) => [
          within(item).getByRole('heading', { level: 4 }).firstChild?.textContent,
          within(item).queryByText('Recommended') !== null,
        ]);
    // Chat: the engine's suggestion; speech: the engine's preference among those that fit; search: the catalog's first.
    await waitFor(() =>
      expect(names('Chat models')).toEqual([
        ['Small chat', true],
        ['Big chat', false],
      ]),
    );
    expect(names('Speech models')).toEqual([
      ['Whisper base', true],
      ['Whisper small', false],
      ['Whisper tiny', false],
    ]);
    expect(names('Search models')).toEqual([
      ['BGE small English v1.5 (F16)', true],
      ['MiniLM', false],
    ]);
    // One recommended per group; voices live in their own section.
    expect(within(models).getAllByText('Recommended')).toHaveLength(3);
    expect(models).not.toHaveTextContent('A voice');
    expect(within(models).getByRole('link', { name: 'Voices' })).toHaveAttribute('href', '/settings/voices');
  });

  it('shows each model’s kind, size, licence, memory fit, checksum status and what installing it adds', async () => {
    const { transport } = createModelsEngine([
      catalogModel(),
      catalogModel({
        id: 'big-llm',
        kind: 'llm',
        name: 'Big tutor model',
        bytes: 8 * 1024 * MB,
        verified: false,
        fitsMemory: false,
        memoryNote: 'Needs about 12 GB of memory, but this computer has 8 GB: too little.',
      }),
    ]);
    const { user } = renderSection(transport);
    const bge = await modelItem('BGE small English v1.5 (F16)');
    expect(within(bge).getByText('Not installed')).toBeInTheDocument();
    // A compact row: the facts are one click away.
    expect(bge).not.toHaveTextContent('MIT');
    await user.click(within(bge).getByRole('button', { name: 'Details', expanded: false }));
    expect(within(bge).getByRole('button', { name: 'Details' })).toHaveAttribute('aria-expanded', 'true');
    expect(bge).toHaveTextContent('Text embeddings');
    expect(bge).toHaveTextContent('64 MB');
    expect(bge).toHaveTextContent('MIT');
    expect(bge).toHaveTextContent('Needs about 256 MB of memory; this computer has 16 GB.');
    expect(bge).toHaveTextContent('Verified: the download is checked against the publisher’s checksum');
    expect(bge).toHaveTextContent('Installing it adds search by meaning across your library');
    expect(bge).toHaveTextContent('huggingface.co');

    const big = await modelItem('Big tutor model');
    // Too big for this computer is said in the row itself.
    expect(within(big).getByText(/too little/)).toHaveClass('text-error');
    await user.click(within(big).getByRole('button', { name: 'Details' }));
    expect(big).toHaveTextContent('Checksum not verified by Little Monster');
    expect(big).toHaveTextContent(
      'Installing it adds the tutor: answers to your questions from your own material, with its sources',
    );
    // Nothing the app cannot do yet is promised.
    expect(big).not.toHaveTextContent(/summar|quiz|flashcard/i);
  });

  it('downloads a model, showing the job’s progress from events, then lists it as installed', async () => {
    const { engine, transport } = createModelsEngine([catalogModel()]);
    const { user } = renderSection(transport);
    const item = await modelItem('BGE small');
    await user.click(within(item).getByRole('button', { name: 'Download (64 MB)' }));

    expect(await within(item).findByText('Waiting to start…')).toBeInTheDocument();
    const job = engine.jobs[0]!;
    act(() => {
      engine.transport.emit({
        name: 'job.updated',
        payload: { job: { ...job, status: 'running', progress: 0 } },
      });
      engine.transport.emit({
        name: 'job.progress',
        payload: { id: job.id, kind: 'model.download', progress: 0.4, message: '25.6 MB of 64 MB' },
      });
    });
    expect(await within(item).findByText('Downloading… 40% (25.6 MB of 64 MB)')).toBeInTheDocument();
    expect(within(item).getByRole('progressbar', { name: /Download of BGE small/ })).toHaveAttribute(
      'value',
      '0.4',
    );
    expect(within(item).queryByRole('button', { name: /^Download/ })).not.toBeInTheDocument();

    engine.models = [
      catalogModel({ status: 'installed', installed: true, installedBytes: 64 * MB, source: 'download' }),
    ];
    act(() =>
      engine.transport.emit({
        name: 'job.updated',
        payload: { job: { ...job, status: 'succeeded', progress: 1 } },
      }),
    );
    expect(await within(item).findByText('Installed')).toBeInTheDocument();
    expect(within(item).getByText('Downloaded and checked.')).toBeInTheDocument();
    expect(within(item).getByRole('button', { name: 'Delete' })).toBeInTheDocument();
  });

  it('uses a file the student already has, showing why the engine refused a wrong one', async () => {
    const { engine, transport } = createModelsEngine([catalogModel()]);
    const { user } = renderSection(transport);
    const item = await modelItem('BGE small');
    await user.click(within(item).getByRole('button', { name: 'Use a file I already have' }));
    const field = within(item).getByLabelText('Path of the model file');
    expect(within(item).getByText(/Type the full path of the file on this computer/)).toBeInTheDocument();

    const refuse = engine.installFromFile;
    engine.installFromFile = () => {
      throw {
        code: 'INVALID_INPUT',
        message: 'This file is not a GGUF model (it starts like a PNG image). Choose the model file itself.',
      };
    };
    await user.type(field, '/home/student/Pictures/cat.gguf');
    await user.click(within(item).getByRole('button', { name: 'Use this file' }));
    expect(await within(item).findByRole('alert')).toHaveTextContent('it starts like a PNG image');
    expect(field).toHaveAttribute('aria-invalid', 'true');

    engine.installFromFile = refuse;
    await user.clear(field);
    await user.type(field, '/home/student/Downloads/bge-small-en-v1.5-f16.gguf');
    await user.click(within(item).getByRole('button', { name: 'Use this file' }));
    expect(await within(item).findByText('Installed from your file')).toBeInTheDocument();
    expect(within(item).queryByLabelText('Path of the model file')).not.toBeInTheDocument();
    expect(engine.modelCalls.at(-1)).toEqual({
      method: 'models.installFromFile',
      input: { id: 'bge-small-en-v1.5-f16', path: '/home/student/Downloads/bge-small-en-v1.5-f16.gguf' },
    });
  });

  it('deletes a model only after confirmation', async () => {
    const { engine, transport } = createModelsEngine([
      catalogModel({ status: 'installed', installed: true, installedBytes: 64 * MB, source: 'download' }),
    ]);
    const { user } = renderSection(transport);
    const item = await modelItem('BGE small');
    await user.click(within(item).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete BGE small English v1.5 (F16)?' });
    expect(dialog).toHaveTextContent('Its file (64 MB) is removed from the models folder.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(engine.modelCalls.filter((c) => c.method === 'models.delete')).toEqual([]);

    await user.click(within(item).getByRole('button', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete model' }));
    await waitFor(() => expect(within(item).getByText('Not installed')).toBeInTheDocument());
    expect(engine.modelCalls.filter((c) => c.method === 'models.delete')).toEqual([
      { method: 'models.delete', input: { id: 'bge-small-en-v1.5-f16' } },
    ]);
  });
});
