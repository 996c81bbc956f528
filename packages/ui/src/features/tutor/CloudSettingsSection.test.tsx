import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test-support/render-app';
import { createTutorTestEngine } from './test-support/tutor-test-engine';

const SECRET = 'azure-key-0f3b9c2e7d';
const service = (name: string) => screen.findByRole('listitem', { name: new RegExp(`^${name}`) });

describe('Settings › Tutor: cloud services', () => {
  it('sets up Azure OpenAI, shows what was saved but never the key, and removes it', async () => {
    const engine = createTutorTestEngine();
    const { user } = renderApp(engine, '/settings/tutor');
    const section = await screen.findByRole('region', { name: 'Tutor' });
    expect(section).toHaveTextContent('sent to a cloud service only when that service answers');
    const azure = await service('Azure OpenAI');
    expect(azure).toHaveTextContent('Not set up');

    await user.click(within(azure).getByRole('button', { name: 'Set up Azure OpenAI' }));
    await user.type(within(azure).getByLabelText('Endpoint'), 'https://uni.openai.azure.com');
    await user.type(within(azure).getByLabelText('Deployment'), 'gpt-4o-mini');
    await user.type(within(azure).getByLabelText('API version'), '2024-10-21');
    const key = within(azure).getByLabelText('API key');
    expect(key).toHaveAttribute('type', 'password');
    await user.type(key, SECRET);
    await user.click(within(azure).getByRole('button', { name: 'Save' }));

    expect(await within(azure).findByRole('button', { name: 'Change Azure OpenAI' })).toBeInTheDocument();
    expect(engine.cloudSetups).toEqual([
      {
        provider: 'azure',
        endpoint: 'https://uni.openai.azure.com',
        deployment: 'gpt-4o-mini',
        apiVersion: '2024-10-21',
        apiKey: SECRET,
      },
    ]);
    expect(azure).toHaveTextContent('gpt-4o-mini');
    expect(azure).toHaveTextContent('Kept in this computer’s keychain; never shown again.');
    expect(document.body.innerHTML).not.toContain(SECRET);

    // Changing it starts from the saved settings; the key must be typed again.
    await user.click(within(azure).getByRole('button', { name: 'Change Azure OpenAI' }));
    expect(within(azure).getByLabelText('Endpoint')).toHaveValue('https://uni.openai.azure.com');
    expect(within(azure).getByLabelText('API key')).toHaveValue('');
    expect(document.body.innerHTML).not.toContain(SECRET);
    await user.click(within(azure).getByRole('button', { name: 'Cancel' }));

    await user.click(within(azure).getByRole('button', { name: 'Remove Azure OpenAI' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove Azure OpenAI?' });
    await user.click(within(confirm).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(azure).toHaveTextContent('Not set up'));
    expect(engine.callsTo('cloud.remove')).toEqual([{ provider: 'azure' }]);
  });

  it('shows a refused field beside itself and keeps what was typed', async () => {
    const engine = createTutorTestEngine();
    const { user } = renderApp(engine, '/settings/tutor');
    const bedrock = await service('Amazon Bedrock');
    await user.click(within(bedrock).getByRole('button', { name: 'Set up Amazon Bedrock' }));
    await user.type(within(bedrock).getByLabelText('Region'), 'the moon');
    await user.type(within(bedrock).getByLabelText('Model id'), 'anthropic.claude-3-haiku-20240307-v1:0');
    await user.type(within(bedrock).getByLabelText('Access key id'), 'AKIAEXAMPLE');
    await user.type(within(bedrock).getByLabelText('Secret access key'), 'not-shown');
    await user.click(within(bedrock).getByRole('button', { name: 'Save' }));

    const region = within(bedrock).getByLabelText('Region');
    await waitFor(() => expect(region).toHaveAttribute('aria-invalid', 'true'));
    expect(region).toHaveAccessibleDescription(/an AWS region such as us-east-1/);
    expect(region).toHaveValue('the moon');
    expect(engine.cloudSetups).toEqual([]);
    // The form says it; no toast repeats it.
    expect(
      within(screen.getByRole('region', { name: 'Notifications' })).queryAllByRole('listitem'),
    ).toHaveLength(0);
  });
});
