import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../../scripts/fixtures/make-llama-model.js';
import { writeModelCatalog } from '../../../../../scripts/fixtures/model-catalog.js';
import type {
  Conversation,
  EngineEvent,
  ImportOutcome,
  Job,
  ModelEntry,
  TutorMessage,
  TutorStatus,
} from '../../contract/index.js';
import {
  startAzureOpenAiServer,
  type AzureOpenAiServer,
} from '../../ai/llm/cloud/test-support/azure-openai-server.js';
import { DATABASE_FILE } from '../../db/open-database.js';
import { TRACEMONKEY_PDF } from '../../search/test-support/tracemonkey.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let modelPath: string;
let catalogFile: string;
let biologyId: string;

const open = () =>
  openTestCore(
    join(dir.path, 'data'),
    { llmThreads: 1, llmTemperature: 0 },
    { modelCatalogFile: catalogFile },
  );

/** A catalog of the generated chat model, once as itself and once as a model too big for any laptop. */
const writeCatalog = (file: string) =>
  writeModelCatalog(dir.path, [
    { id: 'test-chat', kind: 'llm', file, name: 'Test Chat', fileName: 'test-chat.gguf' },
    { id: 'huge-chat', kind: 'llm', file, name: 'Huge Chat', fileName: 'huge-chat.gguf', ramBytes: 2 ** 50 },
  ]);

async function settled(jobId: string): Promise<Job> {
  return waitFor(
    () => core.value<Job>('jobs.get', { id: jobId }),
    (job) => ['succeeded', 'failed', 'cancelled'].includes(job.status),
    60_000,
  );
}

const newConversation = (classId: string | null = biologyId) =>
  core.value<Conversation>('conversations.create', { classId });

/** Resolves with the answer once it is complete, stopped or failed. */
function finished(messageId: string): Promise<TutorMessage> {
  return waitFor(
    () => core.value<{ messages: TutorMessage[] }>('conversations.get', { id: conversationOf(messageId) }),
    ({ messages }) =>
      ['complete', 'stopped', 'failed'].includes(messages.find((m) => m.id === messageId)!.status),
    60_000,
  ).then(({ messages }) => messages.find((m) => m.id === messageId)!);
}
const conversations = new Map<string, string>();
const conversationOf = (messageId: string) => conversations.get(messageId)!;

async function ask(conversationId: string, text: string) {
  const asked = await core.value<{ question: TutorMessage; answer: TutorMessage }>('tutor.ask', {
    conversationId,
    text,
  });
  conversations.set(asked.answer.id, conversationId);
  return asked;
}

const eventsFor = (messageId: string) =>
  core.events.filter(
    (event): event is Extract<EngineEvent, { name: 'tutor.text' | 'tutor.message' }> =>
      (event.name === 'tutor.text' && event.payload.messageId === messageId) ||
      (event.name === 'tutor.message' && event.payload.message.id === messageId),
  );

beforeAll(async () => {
  dir = tempDir('lm-tutor-');
  modelPath = makeTestChatModel(dir.path).path;
  catalogFile = writeCatalog(modelPath);
  core = await open();
  biologyId = (await core.value<{ id: string }>('classes.create', { name: 'Biology' })).id;
  const { jobId } = await core.value<ImportOutcome>('materials.pasteText', {
    classId: biologyId,
    title: 'Cell notes',
    text: '# Mitochondria\n\nThe mitochondrion is the powerhouse of the cell: it makes ATP by cellular respiration.\n\n# Ribosomes\n\nRibosomes build proteins from amino acids.',
  });
  expect(await settled(jobId!)).toMatchObject({ status: 'succeeded' });
}, 120_000);

afterAll(async () => {
  await core?.close();
  dir?.remove();
});

describe('the tutor without a chat model', () => {
  it('says none is installed, suggests one that fits, and refuses a question without saving it', async () => {
    const status = await core.value<TutorStatus>('tutor.status');
    expect(status).toMatchObject({ choice: { kind: 'auto' }, engine: null, suggestedModelId: 'test-chat' });
    expect(status.unavailableReason).toMatch(/No chat model is installed/);
    expect(status.localModels).toEqual([
      expect.objectContaining({ id: 'test-chat', installed: false, fits: true }),
      expect.objectContaining({ id: 'huge-chat', installed: false, fits: false }),
    ]);

    const conversation = await newConversation();
    const result = await core.dispatch('tutor.ask', {
      conversationId: conversation.id,
      text: 'What is ATP?',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEL_NOT_INSTALLED' } });
    const stored = await core.value<{ messages: TutorMessage[] }>('conversations.get', {
      id: conversation.id,
    });
    expect(stored.messages).toEqual([]);
  });
});

describe('the tutor with a generated chat model (real llama.cpp)', () => {
  beforeAll(async () => {
    await core.value<ModelEntry>('models.installFromFile', { id: 'test-chat', path: modelPath });
  });

  it('streams a grounded answer in order, citing the class material, and saves it complete', async () => {
    const conversation = await newConversation();
    const { question, answer } = await ask(conversation.id, 'What does the mitochondrion make?');
    expect(question).toMatchObject({
      role: 'user',
      status: 'complete',
      text: 'What does the mitochondrion make?',
    });
    expect(answer).toMatchObject({ role: 'assistant', status: 'pending', text: '' });

    const final = await finished(answer.id);
    expect(final.status).toBe('complete');
    expect(final.grounding).toBe('material');
    expect(final.answeredBy).toEqual({ id: 'test-chat', label: 'Test Chat', cloud: false });
    expect(final.sources[0]).toMatchObject({
      n: 1,
      ref: { kind: 'material' },
      title: 'Cell notes',
      location: { kind: 'pages', pageStart: 1 },
    });
    expect(final.sources[0]!.excerpt).toMatch(/powerhouse/);

    const events = eventsFor(answer.id);
    const statuses = events.flatMap((e) => (e.name === 'tutor.message' ? [e.payload.message.status] : []));
    expect(statuses).toEqual(['pending', 'streaming', 'complete']);
    const pieces = events.flatMap((e) => (e.name === 'tutor.text' ? [e.payload] : []));
    expect(pieces.length).toBeGreaterThan(1);
    let offset = 0;
    for (const piece of pieces) {
      expect(piece.offset).toBe(offset);
      offset += piece.text.length;
    }
    // Streamed text is the raw answer; the saved one has invented citation numbers removed.
    const streamed = pieces.map((p) => p.text).join('');
    expect(streamed.length).toBeGreaterThanOrEqual(final.text.length);
    expect(final.text.length).toBeGreaterThan(0);

    const listed = await core.value<Conversation[]>('conversations.list', { classId: biologyId });
    expect(listed.find((c) => c.id === conversation.id)).toMatchObject({
      title: 'What does the mitochondrion make?',
      messageCount: 2,
    });
  });

  it('answers from general knowledge, marked so, when the material does not cover the question', async () => {
    const conversation = await newConversation();
    const { answer } = await ask(conversation.id, 'Who painted the Sistine Chapel ceiling?');
    const final = await finished(answer.id);
    expect(final).toMatchObject({ status: 'complete', grounding: 'general', sources: [] });
  });

  it('only draws on the conversation’s class', async () => {
    const history = await core.value<{ id: string }>('classes.create', { name: 'History' });
    const conversation = await newConversation(history.id);
    const { answer } = await ask(conversation.id, 'What does the mitochondrion make?');
    expect(await finished(answer.id)).toMatchObject({ grounding: 'general', sources: [] });
  });

  it('stops mid-answer and keeps what was written, saved as stopped', async () => {
    const conversation = await newConversation();
    const { answer } = await ask(conversation.id, 'Explain how ribosomes build proteins.');
    await waitFor(
      () => eventsFor(answer.id).filter((e) => e.name === 'tutor.text').length,
      (count) => count >= 3,
      60_000,
    );
    const stopped = await core.value<TutorMessage>('tutor.stop', { messageId: answer.id });
    expect(stopped.status).toBe('stopped');
    expect(stopped.text.length).toBeGreaterThan(0);
    expect((await finished(answer.id)).status).toBe('stopped');
  });

  it('refuses a second question while an answer is being written', async () => {
    const conversation = await newConversation();
    const { answer } = await ask(conversation.id, 'What are amino acids?');
    const second = await core.dispatch('tutor.ask', { conversationId: conversation.id, text: 'And ATP?' });
    expect(second).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await core.value('tutor.stop', { messageId: answer.id });
  });

  it('regenerates only the last answer, in its place', async () => {
    const conversation = await newConversation();
    const first = await ask(conversation.id, 'What is ATP?');
    await finished(first.answer.id);
    const second = await ask(conversation.id, 'Where is it made?');
    await finished(second.answer.id);

    const refused = await core.dispatch('tutor.regenerate', { messageId: first.answer.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const again = await core.value<TutorMessage>('tutor.regenerate', { messageId: second.answer.id });
    conversations.set(again.id, conversation.id);
    await finished(again.id);
    const { messages } = await core.value<{ messages: TutorMessage[] }>('conversations.get', {
      id: conversation.id,
    });
    expect(messages.map((m) => m.id)).toEqual([
      first.question.id,
      first.answer.id,
      second.question.id,
      again.id,
    ]);
  });

  it('renames and deletes conversations', async () => {
    const conversation = await newConversation(null);
    const renamed = await core.value<Conversation>('conversations.rename', {
      id: conversation.id,
      title: 'Exam prep',
    });
    expect(renamed).toMatchObject({ title: 'Exam prep', classId: null });
    expect(
      (await core.value<Conversation[]>('conversations.list', { classId: null })).map((c) => c.id),
    ).toContain(conversation.id);
    await core.value('conversations.delete', { id: conversation.id });
    const gone = await core.dispatch('conversations.get', { id: conversation.id });
    expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a model too big for this computer’s memory, clearly', async () => {
    await core.value('models.installFromFile', { id: 'huge-chat', path: modelPath });
    await core.value('settings.update', { tutorEngine: { kind: 'local', modelId: 'huge-chat' } });
    const status = await core.value<TutorStatus>('tutor.status');
    expect(status.engine).toBeNull();
    expect(status.unavailableReason).toMatch(/Huge Chat cannot run on this computer.*memory/s);
    const conversation = await newConversation();
    const result = await core.dispatch('tutor.ask', {
      conversationId: conversation.id,
      text: 'What is ATP?',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });

    // Automatic choice skips it for the model that fits.
    await core.value('settings.update', { tutorEngine: { kind: 'auto' } });
    expect((await core.value<TutorStatus>('tutor.status')).engine).toMatchObject({ id: 'test-chat' });
    await core.value('models.delete', { id: 'huge-chat' });
  });

  it('says a damaged model file is damaged, on the answer, without crashing', async () => {
    const installed = join(dir.path, 'models', 'test-chat.gguf');
    const original = readFileSync(installed);
    const garbled = Buffer.from(original);
    garbled.fill(0xff, 8, 64); // same size, header destroyed
    await core.value('settings.update', { tutorEngine: { kind: 'local', modelId: 'test-chat' } });
    // A different choice first, so the loaded copy is let go and the file is read again.
    await core.value('settings.update', { tutorEngine: { kind: 'auto' } });
    await waitFor(
      () => core.value<TutorStatus>('tutor.status'),
      (s) => s.engine !== null,
    );
    writeFileSync(installed, garbled);
    try {
      const conversation = await newConversation();
      const { answer } = await ask(conversation.id, 'What is ATP?');
      const final = await finished(answer.id);
      expect(final.status).toBe('failed');
      expect(final.error).toMatch(/damaged/);
    } finally {
      writeFileSync(installed, original);
    }
  });

  it('keeps conversations across a restart, and marks an answer cut off by a crash as stopped', async () => {
    const conversation = await newConversation();
    const { answer } = await ask(conversation.id, 'What is ATP?');
    const complete = await finished(answer.id);
    expect(complete.status).toBe('complete');
    await core.close();

    // As if the engine died mid-answer: the row is left "streaming".
    const file = new Database(join(dir.path, 'data', DATABASE_FILE));
    file.prepare("UPDATE messages SET status = 'streaming' WHERE id = ?").run(answer.id);
    file.close();

    core = await open();
    const { messages } = await core.value<{ messages: TutorMessage[] }>('conversations.get', {
      id: conversation.id,
    });
    expect(messages[0]).toMatchObject({ role: 'user', text: 'What is ATP?' });
    expect(messages[1]).toMatchObject({ id: answer.id, status: 'stopped', text: complete.text });
    expect(messages[1]!.error).toMatch(/closed while this answer was being written/);
  });
});

describe('the tutor through a cloud service the student set up (Azure OpenAI wire format on 127.0.0.1)', () => {
  let azure: AzureOpenAiServer;
  beforeAll(async () => {
    azure = await startAzureOpenAiServer({ apiKey: 'student-key-123', deployments: ['gpt-4o-mini'] });
  });
  afterAll(async () => {
    await core.value('cloud.remove', { provider: 'azure' });
    await core.value('settings.update', { tutorEngine: { kind: 'auto' } });
    await azure.close();
  });

  it('keeps the key in the keychain, answers with the cloud engine, and marks the answer as cloud', async () => {
    const config = await core.value('cloud.configure', {
      provider: 'azure',
      endpoint: azure.url,
      deployment: 'gpt-4o-mini',
      apiKey: 'student-key-123',
    });
    expect(config).toEqual({
      provider: 'azure',
      endpoint: azure.url,
      deployment: 'gpt-4o-mini',
      apiVersion: '2024-10-21',
    });
    expect(JSON.stringify(await core.value('tutor.status'))).not.toContain('student-key-123');

    await core.value('settings.update', { tutorEngine: { kind: 'cloud', provider: 'azure' } });
    azure.answer = { text: ['The mitochondrion ', 'makes ATP [1]', ' and more [7].'] };
    const conversation = await newConversation();
    const { answer } = await ask(conversation.id, 'What does the mitochondrion make?');
    const final = await finished(answer.id);
    expect(final).toMatchObject({
      status: 'complete',
      grounding: 'material',
      text: 'The mitochondrion makes ATP [1] and more.',
      answeredBy: { id: 'azure:gpt-4o-mini', cloud: true },
    });
    const sent = azure.requests.at(-1)!;
    expect(sent.headers['api-key']).toBe('student-key-123');
    expect(JSON.stringify(sent.body)).toContain('powerhouse of the cell');
  });

  it('fails the answer with a clear message when the key is refused', async () => {
    await core.value('cloud.configure', {
      provider: 'azure',
      endpoint: azure.url,
      deployment: 'gpt-4o-mini',
      apiKey: 'wrong-key',
    });
    const conversation = await newConversation();
    const { answer } = await ask(conversation.id, 'What does the mitochondrion make?');
    const final = await finished(answer.id);
    expect(final.status).toBe('failed');
    expect(final.error).toMatch(/key/i);
    expect(final.error).not.toContain('wrong-key');
  });
});

describe('sources from a real paper', () => {
  it('cites page 6 for a question about a sentence on page 6', async () => {
    const [outcome] = (
      await core.value<{ items: ImportOutcome[] }>('materials.import', {
        classId: biologyId,
        sources: [{ kind: 'path', path: TRACEMONKEY_PDF }],
      })
    ).items;
    expect(await settled(outcome!.jobId!)).toMatchObject({ status: 'succeeded' });
    const conversation = await newConversation();
    const { answer } = await ask(conversation.id, 'What is a typed trace tree anchored at the loop header?');
    const final = await finished(answer.id);
    expect(final.grounding).toBe('material');
    expect(final.sources[0]).toMatchObject({
      title: 'tracemonkey',
      location: { kind: 'pages', pageStart: 6 },
    });
  });
});
