export { startBedrockServer, type BedrockServer, type BedrockServerOptions } from './bedrock-server.js';
export {
  startAzureOpenAiServer,
  type AzureOpenAiServer,
  type AzureServerOptions,
} from './azure-openai-server.js';
