import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeClass } from '../../test-support/fixtures';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import {
  createTutorTestEngine,
  makeConversation,
  makeMessage,
  makeSource,
  type TutorTestEngine,
} from './test-support/tutor-test-engine';

const composer = () => screen.findByRole('textbox', { name: 'Ask the tutor' });
const messages = () => screen.findByRole('list', { name: 'Messages' });
const answers = async () => within(await messages()).queryAllByRole('listitem', { name: 'Tutor' });
const lastAnswerItem = async () => {
  await waitFor(async () => expect(await answers()).not.toHaveLength(0));
  return (await answers()).at(-1)!;
};

async function ask(engine: TutorTestEngine, user: ReturnType<typeof renderApp>['user'], question: string) {
  await user.type(await composer(), `${question}{Enter}`);
  await waitFor(() => expect(engine.messages.some((m) => m.text === question)).toBe(true));
  return engine.lastAnswer();
}

/** A conversation whose only answer is already written. */
function answered(engine: TutorTestEngine, answer: Parameters<typeof makeMessage>[1]) {
  const conversation = makeConversation({ title: 'Membranes', messageCount: 2 });
  engine.conversations.push(conversation);
  engine.messages.push(
    makeMessage(conversation.id, { role: 'user', text: 'What is a membrane?' }),
    makeMessage(conversation.id, answer),
  );
  return conversation;
}

const PAGE_TEXT =
  'Chapter 2. The cell membrane is a lipid bilayer with proteins floating in it. Cholesterol keeps it fluid.';

/** Answers `materials.page` for one material (the page text the sources panel shows). */
function withPage(engine: TutorTestEngine, materialId: string, page: number, text: string) {
  engine.handlers['materials.page'] = ({ id, page: asked }) => {
    if (id !== materialId || asked !== page) throw rpcError('NOT_FOUND', 'No such page');
    return {
      materialId: id,
      pageNumber: page,
      text,
      notes: null,
      words: [],
      source: 'text-layer',
      ocrConfidence: null,
      width: null,
      height: null,
    };
  };
}

describe('Tutor: sources beside the chat', () => {
  it('previews a citation on hover and opens its passage beside the conversation, marked in its page', async () => {
    const engine = createTutorTestEngine();
    const source = makeSource({
      n: 1,
      title: 'Cell biology notes',
      excerpt: 'The cell membrane is a lipid bilayer…',
      location: { kind: 'pages', pageStart: 6, pageEnd: 6, spans: [{ page: 6, start: 11, end: 77 }] },
    });
    withPage(engine, source.ref.id, 6, PAGE_TEXT);
    const conversation = answered(engine, {
      role: 'assistant',
      text: 'It is a bilayer of lipids [1].',
      sources: [source],
    });
    const { user } = renderApp(engine, `/tutor?conversation=${conversation.id}`);
    const item = await lastAnswerItem();
    const chip = await within(item).findByRole('button', { name: 'Source 1: Cell biology notes, p. 6' });

    // Resting on the chip previews the passage; leaving it hides the preview.
    await user.hover(chip);
    const preview = await screen.findByRole('tooltip');
    expect(preview).toHaveTextContent('The cell membrane is a lipid bilayer…');
    expect(chip).toHaveAccessibleDescription(/The cell membrane is a lipid bilayer/);
    await user.unhover(chip);
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();

    await user.click(chip);
    const panel = await screen.findByRole('complementary', { name: 'Source passage' });
    expect(within(panel).getByRole('heading', { name: 'Cell biology notes' })).toBeInTheDocument();
    expect(panel).toHaveTextContent('PDF · p. 6');
    // The page is shown with the cited passage marked.
    const mark = await within(panel).findByText(
      'The cell membrane is a lipid bilayer with proteins floating in it.',
    );
    expect(mark.tagName).toBe('MARK');
    expect(panel).toHaveTextContent('Cholesterol keeps it fluid.');
    expect(panel).toHaveFocus();
    // The conversation did not move: still the same address, the answer still there.
    expect(window.location.hash).toBe(`#/tutor?conversation=${conversation.id}`);
    expect(item).toBeInTheDocument();
    expect(chip).toHaveAttribute('aria-current', 'true');

    // Escape closes the panel and gives the focus back to the citation.
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('complementary', { name: 'Source passage' })).not.toBeInTheDocument();
    await waitFor(() => expect(chip).toHaveFocus());
  });

  it('opens a lecture citation at the lines said then, and a deleted source as its excerpt', async () => {
    const engine = createTutorTestEngine();
    const lectureId = crypto.randomUUID();
    const lecture = makeSource({
      n: 1,
      ref: { kind: 'lecture', id: lectureId },
      title: 'Lecture 5',
      materialType: null,
      excerpt: 'Osmosis moves water…',
      location: { kind: 'time', startSec: 754, endSec: 760 },
    });
    const gone = makeSource({ n: 2, title: 'Old handout', excerpt: 'Diffusion is passive transport.' });
    let nextLine = 1;
    const line = (startMs: number, endMs: number, text: string) => ({
      id: nextLine++,
      lectureId,
      startMs,
      endMs,
      text,
      edited: false,
    });
    engine.handlers['transcripts.get'] = () => ({
      status: { state: 'done', modelId: null, jobId: null, error: null },
      segments: [
        line(100_000, 104_000, 'Welcome back.'),
        line(748_000, 753_000, 'Now, membranes.'),
        line(753_500, 759_000, 'Osmosis moves water across them.'),
        line(800_000, 805_000, 'Much later.'),
      ],
    });
    engine.handlers['materials.page'] = () => {
      throw rpcError('NOT_FOUND', 'This material was deleted.');
    };
    const conversation = answered(engine, {
      role: 'assistant',
      text: 'Water follows [1]; solutes spread [2].',
      sources: [lecture, gone],
    });
    const { user } = renderApp(engine, `/tutor?conversation=${conversation.id}`);
    const item = await lastAnswerItem();

    await user.click(await within(item).findByRole('button', { name: 'Source 1: Lecture 5, 12:34' }));
    let panel = await screen.findByRole('complementary', { name: 'Source passage' });
    const said = await within(panel).findByText('Osmosis moves water across them.');
    expect(said.tagName).toBe('MARK');
    expect(panel).toHaveTextContent('Now, membranes.');
    expect(panel).not.toHaveTextContent('Welcome back.');
    expect(within(panel).getByRole('link', { name: 'Play the lecture from 12:34' })).toHaveAttribute(
      'href',
      `#/lectures/${lectureId}?t=754`,
    );

    // The second source's material is gone: its excerpt stands in, and nothing breaks.
    await user.click(within(item).getByRole('button', { name: 'Source 2: Old handout, p. 6' }));
    panel = await screen.findByRole('complementary', { name: 'Source passage' });
    expect(
      await within(panel).findByText('This page could not be opened; the passage read:'),
    ).toBeInTheDocument();
    expect(panel).toHaveTextContent('Diffusion is passive transport.');
    await user.click(within(panel).getByRole('button', { name: 'Close the source' }));
    expect(screen.queryByRole('complementary', { name: 'Source passage' })).not.toBeInTheDocument();
  });

  it('folds the conversation list away and back, keeping the chat and its question field', async () => {
    const engine = createTutorTestEngine();
    const conversation = makeConversation({ title: 'Membranes', messageCount: 0 });
    engine.conversations.push(conversation);
    const { user } = renderApp(engine, '/tutor');
    const list = await screen.findByRole('region', { name: 'Conversations' });
    const toggle = screen.getByRole('button', { name: 'Hide conversations', expanded: true });
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(toggle).toHaveAttribute('aria-controls', list.id);

    await user.click(toggle);
    expect(screen.queryByRole('region', { name: 'Conversations' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Show conversations' })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    expect(await composer()).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Show conversations' }));
    const shown = await screen.findByRole('region', { name: 'Conversations' });
    expect(within(shown).getByRole('link', { name: /Membranes/ })).toBeInTheDocument();
    // Where the list lies over the chat it has its own close button; Escape folds it away too.
    await user.click(within(shown).getByRole('button', { name: 'Hide conversations' }));
    expect(screen.queryByRole('region', { name: 'Conversations' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show conversations' }));
    await user.click(
      within(await screen.findByRole('region', { name: 'Conversations' })).getByLabelText('Show'),
    );
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Conversations' })).not.toBeInTheDocument();
  });
});

describe('Tutor: asking', () => {
  it('streams the answer in order (pieces repeated or early included), then shows it complete with chips', async () => {
    const engine = createTutorTestEngine();
    const source = makeSource({ n: 1, title: 'Thermodynamics' });
    engine.nextAnswer = { sources: [source] };
    const { user } = renderApp(engine, '/tutor');

    const answer = await ask(engine, user, 'What is entropy?');
    expect(engine.callsTo('conversations.create')).toEqual([{ classId: null }]);
    expect(engine.callsTo('tutor.ask')).toEqual([
      { conversationId: engine.conversations[0]!.id, text: 'What is entropy?' },
    ]);
    expect(await within(await messages()).findByText('What is entropy?')).toBeInTheDocument();
    const item = await lastAnswerItem();
    expect(await within(item).findByText('Reading your material…')).toBeInTheDocument();
    // While it is being written, Stop replaces Send.
    expect(screen.getByRole('button', { name: 'Stop' })).toBeInTheDocument();
    expect(await composer()).toHaveValue('');

    act(() => {
      engine.update(answer.id, { status: 'streaming' });
      engine.write(answer.id, 'Entropy measures ');
    });
    await waitFor(() => expect(item).toHaveTextContent('Entropy measures'));
    expect(within(item).queryByText('Reading your material…')).not.toBeInTheDocument();

    act(() => {
      // A later piece first, then a repeat, then the missing one.
      engine.emitText(answer.id, 29, ' of a system [1].');
      engine.emitText(answer.id, 0, 'Entropy measures ');
      engine.emitText(answer.id, 17, 'the disorder');
    });
    await waitFor(() => expect(item).toHaveTextContent('Entropy measures the disorder of a system'));
    expect(item.textContent).not.toContain('Entropy measures Entropy');

    act(() => {
      engine.update(answer.id, {
        status: 'complete',
        text: 'Entropy measures the disorder of a system [1].',
      });
    });
    const chip = await within(item).findByRole('button', { name: 'Source 1: Thermodynamics, p. 6' });
    expect(chip).toHaveTextContent('Thermodynamics');
    expect(chip).toHaveTextContent('p. 6');
    expect(within(item).getByText('Qwen2.5 1.5B Instruct')).toBeInTheDocument();
    expect(within(item).getByRole('button', { name: 'Regenerate' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
    // The new conversation is listed under the question it started with.
    const list = await screen.findByRole('list', { name: 'Conversations' });
    expect(await within(list).findByRole('link', { name: /What is entropy\?/ })).toHaveAttribute(
      'aria-current',
      'page',
    );
  });

  it('sends with Enter and keeps Shift+Enter for a new line', async () => {
    const engine = createTutorTestEngine();
    const { user } = renderApp(engine, '/tutor');
    const field = await composer();
    await user.type(field, 'Line one{Shift>}{Enter}{/Shift}Line two');
    expect(field).toHaveValue('Line one\nLine two');
    expect(engine.callsTo('tutor.ask')).toEqual([]);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(engine.callsTo('tutor.ask')).toHaveLength(1));
    expect(engine.callsTo('tutor.ask')[0]).toMatchObject({ text: 'Line one\nLine two' });
  });

  it('stops an answer mid-way: it says Stopped and keeps the text written so far', async () => {
    const engine = createTutorTestEngine();
    const { user } = renderApp(engine, '/tutor');
    const answer = await ask(engine, user, 'Explain osmosis');
    act(() => {
      engine.update(answer.id, { status: 'streaming' });
      engine.write(answer.id, 'Osmosis is the movement of water');
    });
    const item = await lastAnswerItem();
    await waitFor(() => expect(item).toHaveTextContent('Osmosis is the movement of water'));

    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(within(item).getByText('Stopped')).toBeInTheDocument());
    expect(engine.callsTo('tutor.stop')).toEqual([{ messageId: answer.id }]);
    expect(item).toHaveTextContent('Osmosis is the movement of water');
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
    expect(within(item).getByRole('button', { name: 'Regenerate' })).toBeInTheDocument();
  });

  it('shows why an answer failed and tries again by regenerating it', async () => {
    const engine = createTutorTestEngine();
    const conversation = answered(engine, {
      role: 'assistant',
      status: 'failed',
      text: '',
      error: 'The model ran out of memory. Close other apps and try again.',
    });
    const failed = engine.lastAnswer();
    const { user } = renderApp(engine, `/tutor?conversation=${conversation.id}`);
    const item = await lastAnswerItem();
    expect(within(item).getByRole('alert')).toHaveTextContent(
      'The model ran out of memory. Close other apps and try again.',
    );
    await user.click(within(item).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(engine.callsTo('tutor.regenerate')).toEqual([{ messageId: failed.id }]));
    const fresh = await lastAnswerItem();
    expect(await within(fresh).findByText('Reading your material…')).toBeInTheDocument();
    expect(screen.queryByText(/ran out of memory/)).not.toBeInTheDocument();
  });

  it('regenerates the last answer, replacing it', async () => {
    const engine = createTutorTestEngine();
    const conversation = answered(engine, { role: 'assistant', text: 'A first, weak answer.' });
    const { user } = renderApp(engine, `/tutor?conversation=${conversation.id}`);
    const item = await lastAnswerItem();
    expect(item).toHaveTextContent('A first, weak answer.');
    await user.click(within(item).getByRole('button', { name: 'Regenerate' }));
    await waitFor(() => expect(screen.queryByText('A first, weak answer.')).not.toBeInTheDocument());
    const fresh = engine.lastAnswer();
    act(() => {
      engine.update(fresh.id, { status: 'streaming' });
      engine.write(fresh.id, 'A better answer.');
    });
    await waitFor(async () => expect(await lastAnswerItem()).toHaveTextContent('A better answer.'));
    expect(await answers()).toHaveLength(1);
  });

  it('copies an answer to the clipboard without citations that cite nothing', async () => {
    const engine = createTutorTestEngine();
    const conversation = answered(engine, {
      role: 'assistant',
      text: 'Membranes are bilayers [1]. Invented [9].',
      sources: [makeSource({ n: 1 })],
    });
    const { user } = renderApp(engine, `/tutor?conversation=${conversation.id}`);
    const item = await lastAnswerItem();
    await user.click(within(item).getByRole('button', { name: 'Copy the answer' }));
    expect(await navigator.clipboard.readText()).toBe('Membranes are bilayers [1]. Invented.');
    await waitFor(() =>
      expect(within(item).getByRole('button', { name: 'Copy the answer' })).toHaveTextContent('Copied'),
    );
  });
});

describe('Tutor: answers and their sources', () => {
  it('turns citations into chips naming the material and the spot, and drops numbers with no source', async () => {
    const engine = createTutorTestEngine();
    const pdf = makeSource({
      n: 1,
      title: 'Cell biology notes',
      location: { kind: 'pages', pageStart: 6, pageEnd: 7, spans: [{ page: 6, start: 120, end: 240 }] },
    });
    const slides = makeSource({
      n: 2,
      title: 'Week 3 slides',
      materialType: 'slides',
      location: { kind: 'pages', pageStart: 4, pageEnd: 4, spans: [] },
    });
    const lecture = makeSource({
      n: 3,
      ref: { kind: 'lecture', id: crypto.randomUUID() },
      title: 'Lecture 5',
      materialType: null,
      location: { kind: 'time', startSec: 754, endSec: 760 },
    });
    const conversation = answered(engine, {
      role: 'assistant',
      text: 'Membranes are bilayers [1, 2]. Proteins float in them [3][9]. Cholesterol stiffens them [9].',
      sources: [pdf, slides, lecture],
    });
    const { user } = renderApp(engine, `/tutor?conversation=${conversation.id}`);
    const item = await lastAnswerItem();
    const answerText = item.querySelector('.md')!;
    expect(
      within(item).getByRole('button', { name: 'Source 1: Cell biology notes, pp. 6–7' }),
    ).toBeInTheDocument();
    expect(
      within(item).getByRole('button', { name: 'Source 2: Week 3 slides, slide 4' }),
    ).toBeInTheDocument();
    expect(within(item).getByRole('button', { name: 'Source 3: Lecture 5, 12:34' })).toBeInTheDocument();
    expect(answerText.textContent).not.toContain('[');
    expect(answerText.textContent).not.toContain('9');
    expect(answerText.textContent).toContain('Cholesterol stiffens them.');
    // The sources, folded under the answer.
    expect(within(item).getByText('3 sources from your material')).toBeInTheDocument();

    // A chip opens its passage beside the chat; the whole source is one link further.
    await user.click(within(item).getByRole('button', { name: 'Source 1: Cell biology notes, pp. 6–7' }));
    const panel = await screen.findByRole('complementary', { name: 'Source passage' });
    await user.click(within(panel).getByRole('link', { name: 'Open in the viewer' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/library/${pdf.ref.id}?page=6&hl=6%3A120-240`));
  });

  it('marks general answers and cloud answers', async () => {
    const engine = createTutorTestEngine();
    const conversation = answered(engine, {
      role: 'assistant',
      grounding: 'general',
      text: 'In general, the mitochondria make ATP.',
      answeredBy: { id: 'azure', label: 'Azure OpenAI (gpt-4o-mini)', cloud: true },
    });
    engine.messages.push(
      makeMessage(conversation.id, { role: 'user', text: 'And the nucleus?' }),
      makeMessage(conversation.id, { role: 'assistant', text: 'From your notes: it holds DNA.' }),
    );
    renderApp(engine, `/tutor?conversation=${conversation.id}`);
    await waitFor(async () => expect(await answers()).toHaveLength(2));
    const [general, local] = await answers();
    expect(general).toHaveTextContent("Your material doesn't cover this — general answer");
    expect(within(general!).getByText(/Cloud answer: Azure OpenAI \(gpt-4o-mini\)/)).toBeInTheDocument();
    expect(local).not.toHaveTextContent('Cloud answer');
    expect(local).not.toHaveTextContent("Your material doesn't cover this");
  });
});

describe('Tutor: conversations', () => {
  it('starts a conversation about one class, filters by class, renames and deletes it', async () => {
    const physics = makeClass({ name: 'Physics' });
    const biology = makeClass({ name: 'Biology' });
    const engine = createTutorTestEngine({ classes: [physics, biology] });
    engine.conversations.push(makeConversation({ title: 'Cells overview', classId: biology.id }));
    const { user } = renderApp(engine, '/tutor');
    const list = await screen.findByRole('list', { name: 'Conversations' });
    expect(within(list).getByRole('link', { name: /Cells overview/ })).toHaveTextContent('Biology');

    await user.selectOptions(screen.getByLabelText('About'), 'Physics');
    await ask(engine, user, 'What is momentum?');
    expect(engine.callsTo('conversations.create')).toEqual([{ classId: physics.id }]);
    const created = engine.conversations.find((c) => c.classId === physics.id)!;
    expect(await screen.findByRole('heading', { level: 2, name: 'What is momentum?' })).toBeInTheDocument();
    expect(screen.getByText('About Physics')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Show'), 'Physics');
    await waitFor(() =>
      expect(within(list).queryByRole('link', { name: /Cells overview/ })).not.toBeInTheDocument(),
    );
    expect(within(list).getByRole('link', { name: /What is momentum\?/ })).toBeInTheDocument();
    expect(engine.callsTo('conversations.list')).toContainEqual({ classId: physics.id });

    await user.click(screen.getByRole('button', { name: 'Rename' }));
    const rename = await screen.findByRole('dialog', { name: 'Rename conversation' });
    const title = within(rename).getByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'Momentum');
    await user.click(within(rename).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(within(list).getByRole('link', { name: /^Momentum/ })).toBeInTheDocument());
    expect(screen.getByRole('heading', { level: 2, name: 'Momentum' })).toBeInTheDocument();
    expect(engine.callsTo('conversations.rename')).toEqual([{ id: created.id, title: 'Momentum' }]);

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete “Momentum”?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete conversation' }));
    await waitFor(() => expect(engine.conversations.some((c) => c.id === created.id)).toBe(false));
    expect(await screen.findByRole('heading', { level: 2, name: 'New conversation' })).toBeInTheDocument();
    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();
  });

  it('asks the tutor from the command palette with the cursor in the question field', async () => {
    const engine = createTutorTestEngine();
    const { user } = renderApp(engine, '/');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    await user.keyboard('{Control>}k{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Command palette' });
    await user.type(within(dialog).getByRole('combobox'), 'ask tutor');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Tutor' })).toBeInTheDocument();
    await waitFor(async () => expect(await composer()).toHaveFocus());
  });
});
