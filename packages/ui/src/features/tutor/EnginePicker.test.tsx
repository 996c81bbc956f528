import { act, screen, waitFor, within } from '@testing-library/react';
import type { ModelEntry } from '@little-monster/core/contract';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test-support/render-app';
import { createTutorTestEngine, LOCAL_ENGINE, makeStatus } from './test-support/tutor-test-engine';

const GB = 1024 ** 3;

function chatModel(fields: Partial<ModelEntry> = {}): ModelEntry {
  return {
    id: 'qwen2.5-1.5b-instruct-q4_k_m',
    kind: 'llm',
    name: 'Qwen2.5 1.5B Instruct',
    description: 'A small chat model for 8 GB laptops.',
    format: 'gguf',
    bytes: 1.1 * GB,
    license: 'Apache-2.0',
    ramBytes: 2 * GB,
    verified: true,
    url: 'https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    status: 'missing',
    installed: false,
    fitsMemory: true,
    memoryNote: 'Needs about 2 GB of memory; this computer has 8 GB.',
    ...fields,
  };
}

const picker = () => screen.findByRole('combobox', { name: 'Answers with' });

describe('Tutor: the model picker', () => {
  it('offers automatic, the installed models that fit, and the cloud services set up; saves the choice', async () => {
    const engine = createTutorTestEngine({
      status: makeStatus({
        localModels: [
          { id: LOCAL_ENGINE.id, name: LOCAL_ENGINE.label, installed: true, ramBytes: 2 * GB, fits: true },
          { id: 'llama-3.1-8b-q4', name: 'Llama 3.1 8B', installed: true, ramBytes: 9 * GB, fits: false },
          { id: 'phi-3.5-mini-q4', name: 'Phi 3.5 mini', installed: false, ramBytes: 4 * GB, fits: true },
        ],
        cloud: [
          {
            provider: 'azure',
            endpoint: 'https://uni.openai.azure.com',
            deployment: 'gpt-4o-mini',
            apiVersion: '2024-10-21',
          },
        ],
      }),
    });
    const { user } = renderApp(engine, '/tutor');
    const select = await picker();
    const options = within(select).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual([
      'Automatic',
      'Qwen2.5 1.5B Instruct',
      'Llama 3.1 8B (needs more memory than this computer has)',
      'Azure OpenAI (gpt-4o-mini at uni.openai.azure.com)',
    ]);
    expect(options[2]).toBeDisabled();
    expect(select).toHaveValue('auto');
    expect(screen.getByText('Next answer: Qwen2.5 1.5B Instruct, on this computer.')).toBeInTheDocument();

    await user.selectOptions(select, 'Azure OpenAI (gpt-4o-mini at uni.openai.azure.com)');
    await waitFor(() =>
      expect(engine.callsTo('settings.update')).toEqual([
        { tutorEngine: { kind: 'cloud', provider: 'azure' } },
      ]),
    );
    expect(await screen.findByText(/Next answer: Azure OpenAI, a cloud service/)).toBeInTheDocument();
    expect(select).toHaveValue('cloud:azure');
  });

  it('with nothing to answer, offers the suggested model (download or own file) and a cloud service', async () => {
    const engine = createTutorTestEngine({
      status: makeStatus({
        engine: null,
        unavailableReason: 'No tutor model is installed on this computer.',
        localModels: [
          { id: LOCAL_ENGINE.id, name: LOCAL_ENGINE.label, installed: false, ramBytes: 2 * GB, fits: true },
        ],
      }),
      models: [chatModel()],
    });
    const { user } = renderApp(engine, '/tutor');
    const setup = await screen.findByRole('region', { name: 'The tutor needs a model to answer' });
    expect(setup).toHaveTextContent('No tutor model is installed on this computer.');
    const model = await within(setup).findByRole('listitem', { name: /Qwen2.5 1.5B Instruct/ });
    expect(within(model).getByRole('button', { name: 'Use a file I already have' })).toBeInTheDocument();
    expect(within(setup).getByRole('link', { name: 'set up a cloud service' })).toHaveAttribute(
      'href',
      '#/settings/tutor',
    );
    // Nothing can be sent until a model is there.
    await user.type(await screen.findByRole('textbox', { name: 'Ask the tutor' }), 'Hello');
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();

    await user.click(within(model).getByRole('button', { name: /^Download/ }));
    await waitFor(() => expect(engine.callsTo('models.download')).toEqual([{ id: LOCAL_ENGINE.id }]));
    expect(await within(model).findByText('Waiting to start…')).toBeInTheDocument();

    // Installed: the engine says so and the call to action goes away.
    act(() => {
      engine.status = makeStatus();
      engine.transport.emit({ name: 'tutor.statusChanged', payload: {} });
    });
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'The tutor needs a model to answer' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: 'Send' })).toBeEnabled();
  });

  it('opens the call to action at its top and says why nothing can answer once', async () => {
    // A tall call to action in a short chat pane: following the newest text would show its middle.
    const height = vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(2000);
    try {
      const reason = 'No tutor model is installed on this computer.';
      const engine = createTutorTestEngine({
        status: makeStatus({ engine: null, unavailableReason: reason }),
        models: [chatModel()],
      });
      renderApp(engine, '/tutor');
      const setup = await screen.findByRole('region', { name: 'The tutor needs a model to answer' });
      await within(setup).findByRole('listitem', { name: /Qwen2.5 1.5B Instruct/ });
      expect(screen.getAllByText(reason)).toHaveLength(1);
      expect(setup.closest('.tutor-messages')?.scrollTop).toBe(0);
    } finally {
      height.mockRestore();
    }
  });
});
