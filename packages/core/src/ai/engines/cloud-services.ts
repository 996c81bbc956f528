import type { Logger } from 'pino';
import {
  CLOUD_PROVIDERS,
  CloudSetupSchema,
  type CloudConfig,
  type CloudProvider,
  type CloudSetup,
} from '../../contract/index.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { AzureOpenAiLlmEngine } from '../llm/cloud/azure-openai-llm-engine.js';
import { BedrockLlmEngine } from '../llm/cloud/bedrock-llm-engine.js';
import type { CloudVocabulary } from '../llm/cloud/cloud-token-counter.js';
import type { LlmEngine } from '../llm/llm-engine.js';

export const PROVIDER_NAMES: Record<CloudProvider, string> = {
  bedrock: 'Amazon Bedrock',
  azure: 'Azure OpenAI',
};

const secretName = (provider: CloudProvider) => `cloud.${provider}`;

/**
 * The cloud AI services the student set up (Amazon Bedrock, Azure OpenAI): their settings and
 * keys in the OS keychain, never in a file, and the engine for each. Nothing is sent anywhere
 * until an engine is asked something.
 */
export class CloudServices {
  private setups: Promise<CloudSetup[]> | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
    /** Where the cloud engines find a vocabulary to estimate token counts with. */
    private readonly vocabulary: CloudVocabulary,
  ) {}

  /**
   * Configured services, read from the keychain once (every status and question needs them;
   * only configuring or removing one changes them). An unreadable keychain means none, for now.
   */
  list(): Promise<CloudSetup[]> {
    this.setups ??= this.read();
    return this.setups;
  }

  async configure(setup: CloudSetup): Promise<CloudConfig> {
    await this.secrets.set(secretName(setup.provider), JSON.stringify(setup));
    this.setups = undefined;
    return publicConfig(setup);
  }

  async remove(provider: CloudProvider): Promise<void> {
    await this.secrets.delete(secretName(provider));
    this.setups = undefined;
  }

  /** The engine for a configured service. */
  engine(setup: CloudSetup): LlmEngine {
    if (setup.provider === 'bedrock') {
      return new BedrockLlmEngine({
        region: setup.region,
        modelId: setup.modelId,
        vocabulary: this.vocabulary,
        credentials: {
          accessKeyId: setup.accessKeyId,
          secretAccessKey: setup.secretAccessKey,
          ...(setup.sessionToken ? { sessionToken: setup.sessionToken } : {}),
        },
      });
    }
    return new AzureOpenAiLlmEngine({
      endpoint: setup.endpoint,
      deployment: setup.deployment,
      apiVersion: setup.apiVersion,
      apiKey: setup.apiKey,
      vocabulary: this.vocabulary,
    });
  }

  private async read(): Promise<CloudSetup[]> {
    const setups = await Promise.all(
      CLOUD_PROVIDERS.map(async (provider) => {
        try {
          const stored = await this.secrets.get(secretName(provider));
          if (!stored) return [];
          const parsed = CloudSetupSchema.safeParse(JSON.parse(stored));
          return parsed.success && parsed.data.provider === provider ? [parsed.data] : [];
        } catch (error) {
          this.logger.warn({ provider, err: error }, 'cloud settings cannot be read from the keychain');
          this.setups = undefined; // read again next time: the keychain may be unlocked by then
          return [];
        }
      }),
    );
    return setups.flat();
  }
}

/** The settings of a cloud service without its keys. */
export function publicConfig(setup: CloudSetup): CloudConfig {
  if (setup.provider === 'bedrock')
    return { provider: 'bedrock', region: setup.region, modelId: setup.modelId };
  return {
    provider: 'azure',
    endpoint: setup.endpoint,
    deployment: setup.deployment,
    apiVersion: setup.apiVersion,
  };
}
