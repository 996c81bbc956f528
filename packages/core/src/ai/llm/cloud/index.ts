/**
 * The cloud LLM engines on their own, for the account server's AI proxy, which calls the same
 * services with its own keys.
 */
export { BedrockLlmEngine, type BedrockLlmEngineOptions } from './bedrock-llm-engine.js';
export { AzureOpenAiLlmEngine, type AzureOpenAiLlmEngineOptions } from './azure-openai-llm-engine.js';
export type { GenerateRequest, GenerateResult, LlmEngine, LlmEngineInfo } from '../llm-engine.js';
export { AppError } from '../../../contract/index.js';
