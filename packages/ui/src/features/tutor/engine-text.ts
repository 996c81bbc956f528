import type { CloudConfig, CloudProvider, TutorEngineChoice } from '@little-monster/core/contract';

export const PROVIDER_LABELS: Record<CloudProvider, string> = {
  bedrock: 'Amazon Bedrock',
  azure: 'Azure OpenAI',
};

/** "anthropic.claude-3-haiku in us-east-1", "gpt-4o-mini at example.openai.azure.com". */
export function describeCloud(config: CloudConfig): string {
  if (config.provider === 'bedrock') return `${config.modelId} in ${config.region}`;
  let host = config.endpoint;
  try {
    host = new URL(config.endpoint).host;
  } catch {
    // Shown as typed.
  }
  return `${config.deployment} at ${host}`;
}

/** A choice as a <select> value: `auto`, `local:<model id>`, `cloud:<provider>`. */
export function choiceKey(choice: TutorEngineChoice): string {
  switch (choice.kind) {
    case 'auto':
      return 'auto';
    case 'local':
      return `local:${choice.modelId}`;
    case 'cloud':
      return `cloud:${choice.provider}`;
  }
}

export function parseChoiceKey(key: string): TutorEngineChoice {
  const [kind, value = ''] = key.split(/:(.*)/s);
  if (kind === 'local') return { kind: 'local', modelId: value };
  if (kind === 'cloud' && (value === 'bedrock' || value === 'azure'))
    return { kind: 'cloud', provider: value };
  return { kind: 'auto' };
}
