import { z } from 'zod';
import { MaterialTypeSchema } from './library.js';
import { SourceLocationSchema, SourceRefSchema } from './sources.js';
import { ModelIdSchema } from './models.js';

export const ConversationIdSchema = z.string().uuid();
export const MessageIdSchema = z.string().uuid();
const ClassIdSchema = z.string().uuid();

export const ConversationSchema = z.object({
  id: ConversationIdSchema,
  /** Null: the conversation draws on every class. */
  classId: ClassIdSchema.nullable(),
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messageCount: z.number().int().nonnegative(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/** One numbered passage of the student's material the answer was given; `[n]` in the text cites it. */
export const TutorSourceSchema = z.object({
  n: z.number().int().positive(),
  chunkId: z.number().int(),
  ref: SourceRefSchema,
  title: z.string(),
  /** For a material: its type; null for other kinds of source. */
  materialType: MaterialTypeSchema.nullable(),
  location: SourceLocationSchema,
  /** The first words of the passage, for the chip's tooltip. */
  excerpt: z.string(),
});
export type TutorSource = z.infer<typeof TutorSourceSchema>;

/**
 * pending: waiting for the model (loading it, reading the prompt); streaming: text is arriving;
 * complete; stopped: the student stopped it (or the engine ended mid-answer), text kept as is;
 * failed: `error` says why.
 */
export const MESSAGE_STATUSES = ['pending', 'streaming', 'complete', 'stopped', 'failed'] as const;
export const MessageStatusSchema = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

/** material: answered from the sources; general: the material did not cover it, answered from general knowledge. */
export const GroundingSchema = z.enum(['material', 'general']);
export type Grounding = z.infer<typeof GroundingSchema>;

export const AnsweredBySchema = z.object({
  id: z.string(),
  label: z.string(),
  /** The text went to a cloud service: every such message is marked in the UI. */
  cloud: z.boolean(),
});
export type AnsweredBy = z.infer<typeof AnsweredBySchema>;

export const TutorMessageSchema = z.object({
  id: MessageIdSchema,
  conversationId: ConversationIdSchema,
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  status: MessageStatusSchema,
  /** Assistant messages only. */
  grounding: GroundingSchema.nullable(),
  sources: z.array(TutorSourceSchema),
  answeredBy: AnsweredBySchema.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type TutorMessage = z.infer<typeof TutorMessageSchema>;

export const CLOUD_PROVIDERS = ['bedrock', 'azure'] as const;
export const CloudProviderSchema = z.enum(CLOUD_PROVIDERS);
export type CloudProvider = z.infer<typeof CloudProviderSchema>;

/** Which engine answers: the best installed local model that fits, a chosen one, or a cloud service. */
export const TutorEngineChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('local'), modelId: ModelIdSchema }),
  z.object({ kind: z.literal('cloud'), provider: CloudProviderSchema }),
]);
export type TutorEngineChoice = z.infer<typeof TutorEngineChoiceSchema>;

const shortText = (max: number) => z.string().trim().min(1).max(max);

export const BedrockConfigSchema = z.object({
  provider: z.literal('bedrock'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as us-east-1'),
  modelId: shortText(200),
});
export const AzureConfigSchema = z.object({
  provider: z.literal('azure'),
  endpoint: z.url({ protocol: /^https?$/ }),
  deployment: shortText(200),
  /** The Azure OpenAI REST API version; 2024-10-21 is the current GA one with structured output. */
  apiVersion: shortText(40).default('2024-10-21'),
});
/** What is shown about a configured cloud service (its keys stay in the OS keychain). */
export const CloudConfigSchema = z.discriminatedUnion('provider', [BedrockConfigSchema, AzureConfigSchema]);
export type CloudConfig = z.infer<typeof CloudConfigSchema>;

export const CloudSetupSchema = z.discriminatedUnion('provider', [
  BedrockConfigSchema.extend({
    accessKeyId: shortText(128),
    secretAccessKey: shortText(256),
    sessionToken: z.string().trim().max(4096).optional(),
  }),
  AzureConfigSchema.extend({ apiKey: shortText(256) }),
]);
export type CloudSetup = z.infer<typeof CloudSetupSchema>;

export const LocalChatModelSchema = z.object({
  id: ModelIdSchema,
  name: z.string(),
  installed: z.boolean(),
  ramBytes: z.number().int().nonnegative(),
  /** Enough memory on this computer to run it. */
  fits: z.boolean(),
});

export const TutorStatusSchema = z.object({
  choice: TutorEngineChoiceSchema,
  /** The engine the next answer will use, or null with `unavailableReason`. */
  engine: AnsweredBySchema.nullable(),
  unavailableReason: z.string().nullable(),
  localModels: z.array(LocalChatModelSchema),
  cloud: z.array(CloudConfigSchema),
  /** The catalog chat model that best fits this computer's memory (suggested on first run). */
  suggestedModelId: ModelIdSchema.nullable(),
});
export type TutorStatus = z.infer<typeof TutorStatusSchema>;

const AskResultSchema = z.object({ question: TutorMessageSchema, answer: TutorMessageSchema });

export const tutorProcedures = {
  'conversations.list': {
    input: z
      .object({
        /** undefined: every conversation; null: only those across all classes. */
        classId: ClassIdSchema.nullable().optional(),
      })
      .default({}),
    output: z.array(ConversationSchema),
  },
  'conversations.get': {
    input: z.object({ id: ConversationIdSchema }),
    output: z.object({ conversation: ConversationSchema, messages: z.array(TutorMessageSchema) }),
  },
  'conversations.create': {
    input: z.object({ classId: ClassIdSchema.nullable(), title: shortText(200).optional() }),
    output: ConversationSchema,
  },
  'conversations.rename': {
    input: z.object({ id: ConversationIdSchema, title: shortText(200) }),
    output: ConversationSchema,
  },
  'conversations.delete': {
    input: z.object({ id: ConversationIdSchema }),
    output: z.object({ id: ConversationIdSchema }),
  },
  /** Saves the question and starts the answer; its text arrives as `tutor.text` events. */
  'tutor.ask': {
    input: z.object({ conversationId: ConversationIdSchema, text: shortText(8000) }),
    output: AskResultSchema,
  },
  /** Stops an answer being written; what was written stays, marked stopped. */
  'tutor.stop': {
    input: z.object({ messageId: MessageIdSchema }),
    output: TutorMessageSchema,
  },
  /** Answers the conversation's last question again, replacing the last answer. */
  'tutor.regenerate': {
    input: z.object({ messageId: MessageIdSchema }),
    output: TutorMessageSchema,
  },
  'tutor.status': { input: z.object({}).default({}), output: TutorStatusSchema },
  /** Stores a cloud service's settings, its keys in the OS keychain. */
  'cloud.configure': { input: CloudSetupSchema, output: CloudConfigSchema },
  'cloud.remove': {
    input: z.object({ provider: CloudProviderSchema }),
    output: z.object({ provider: CloudProviderSchema }),
  },
} as const;

export const tutorEvents = {
  /** A piece of an answer, in order: `offset` is where `text` starts in the answer. */
  'tutor.text': z.object({
    conversationId: ConversationIdSchema,
    messageId: MessageIdSchema,
    offset: z.number().int().nonnegative(),
    text: z.string(),
  }),
  /** A message was created or changed state (pending, streaming, complete, stopped, failed). */
  'tutor.message': z.object({ message: TutorMessageSchema }),
  'conversations.changed': z.object({ ids: z.array(ConversationIdSchema) }),
  /** The engine choice, what is installed or the cloud setup changed. */
  'tutor.statusChanged': z.object({}),
} as const;
