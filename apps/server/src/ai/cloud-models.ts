/**
 * The cloud models the server offers signed-in students, built from its own credentials with
 * the same engines the desktop uses for a student's own keys. The keys never leave the server.
 */
import { AzureOpenAiLlmEngine, BedrockLlmEngine, type LlmEngine } from '@little-monster/core/cloud-llm';
import type { ServerConfig } from '../config.js';

export interface CloudModels {
  list(): LlmEngine[];
  get(id: string): LlmEngine | undefined;
  close(): Promise<void>;
}

export function cloudModels(config: Pick<ServerConfig, 'bedrock' | 'azureOpenAi'>): CloudModels {
  const engines: LlmEngine[] = [];
  // Token estimates are not needed on the server (the desktop counts before sending).
  const vocabulary = {};
  const { bedrock, azureOpenAi } = config;
  for (const modelId of bedrock?.models ?? [])
    engines.push(
      new BedrockLlmEngine({
        region: bedrock!.region,
        modelId,
        credentials: { accessKeyId: bedrock!.accessKeyId, secretAccessKey: bedrock!.secretAccessKey },
        endpoint: bedrock!.endpoint,
        vocabulary,
      }),
    );
  for (const deployment of azureOpenAi?.deployments ?? [])
    engines.push(
      new AzureOpenAiLlmEngine({
        endpoint: azureOpenAi!.endpoint,
        deployment,
        apiKey: azureOpenAi!.apiKey,
        apiVersion: azureOpenAi!.apiVersion,
        vocabulary,
      }),
    );
  return {
    list: () => engines,
    get: (id) => engines.find((engine) => engine.info.id === id),
    close: async () => {
      await Promise.all(engines.map((engine) => engine.close()));
    },
  };
}
