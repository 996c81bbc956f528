import { act, screen, waitFor, within } from '@testing-library/react';
import type { ModelEntry } from '@little-monster/core/contract';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test-support/render-app';
import {
  createLecturesTestEngine,
  makeLecture,
  makeSegment,
  speechModel,
} from './test-support/lectures-test-engine';

function setup(options: { t?: number; models?: ModelEntry[] } = {}) {
  const lecture = makeLecture({ title: 'Membranes', durationMs: 60_000 });
  const segments = [
    makeSegment(lecture.id, { startMs: 0, endMs: 4000, text: 'Good morning everyone.' }),
    makeSegment(lecture.id, { startMs: 4000, endMs: 9000, text: 'Today we look at membranes.' }),
    makeSegment(lecture.id, { startMs: 12_000, endMs: 15_000, text: 'They are lipid bilayers.' }),
  ];
  const engine = createLecturesTestEngine({
    lectures: [lecture],
    segments,
    bookmarks: [
      {
        id: crypto.randomUUID(),
        lectureId: lecture.id,
        atMs: 12_500,
        note: 'On the exam',
        createdAt: lecture.createdAt,
      },
    ],
    ...(options.models ? { models: options.models } : {}),
  });
  const view = renderApp(
    engine,
    `/lectures/${lecture.id}${options.t === undefined ? '' : `?t=${options.t}`}`,
  );
  return { engine, lecture, segments, ...view };
}

const player = () => document.querySelector('audio')!;
const lines = () => screen.findByRole('list', { name: 'Transcript' });
const playingLine = () => document.querySelector('[aria-current="true"]');

function playTo(seconds: number) {
  act(() => {
    player().currentTime = seconds;
    player().dispatchEvent(new Event('timeupdate'));
  });
}

describe('Lectures: the lecture view', () => {
  it('plays the recording from the engine and marks the line being played as playback moves', async () => {
    const { lecture } = setup();
    await lines();
    expect(player()).toHaveAttribute('src', `http://127.0.0.1:5123/recordings/${lecture.id}?token=test`);
    expect(playingLine()).toHaveTextContent('Good morning everyone.');
    playTo(5.2);
    expect(playingLine()).toHaveTextContent('Today we look at membranes.');
    playTo(13);
    expect(playingLine()).toHaveTextContent('They are lipid bilayers.');
    // Only one line is marked at a time.
    expect(document.querySelectorAll('[aria-current="true"]')).toHaveLength(1);
  });

  it('keeps the line being played in view, but not while the student scrolls to read elsewhere', async () => {
    const scrolled: string[] = [];
    vi.spyOn(Element.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
      scrolled.push(this.textContent ?? '');
    });
    const { user } = setup();
    const transcript = await lines();
    playTo(5);
    await waitFor(() => expect(scrolled.at(-1)).toContain('Today we look at membranes.'));
    act(() => {
      transcript.dispatchEvent(new WheelEvent('wheel', { bubbles: true, deltaY: 200 }));
    });
    const before = scrolled.length;
    playTo(13);
    expect(playingLine()).toHaveTextContent('They are lipid bilayers.');
    expect(scrolled).toHaveLength(before);
    await user.click(screen.getByRole('button', { name: 'Follow playback' }));
    await waitFor(() => expect(scrolled.at(-1)).toContain('They are lipid bilayers.'));
    expect(screen.queryByRole('button', { name: 'Follow playback' })).toBeNull();
  });

  it('plays from a line when it is clicked', async () => {
    const { user } = setup();
    const transcript = await lines();
    await user.click(within(transcript).getByText('They are lipid bilayers.'));
    expect(player().currentTime).toBe(12);
    expect(player().paused).toBe(false);
    expect(playingLine()).toHaveTextContent('They are lipid bilayers.');
  });

  it('opens at the second a search hit or citation names (?t=)', async () => {
    setup({ t: 5 });
    await lines();
    expect(playingLine()).toHaveTextContent('Today we look at membranes.');
    act(() => {
      player().dispatchEvent(new Event('loadedmetadata'));
    });
    expect(player().currentTime).toBe(5);
  });

  it('corrects a line’s text and keeps its times', async () => {
    const { engine, user, segments } = setup();
    const transcript = await lines();
    await user.click(within(transcript).getByRole('button', { name: 'Edit the line at 0:04' }));
    const field = within(transcript).getByLabelText('Text of the line at 0:04');
    await user.clear(field);
    await user.type(field, 'Today we look at cell membranes.{Enter}');
    expect(await within(transcript).findByText('Today we look at cell membranes.')).toBeInTheDocument();
    expect(engine.callsTo('transcripts.editSegment')).toEqual([
      { id: segments[1]!.id, text: 'Today we look at cell membranes.' },
    ]);
    const saved = engine.transcripts.get(segments[1]!.lectureId)!.segments[1]!;
    expect([saved.startMs, saved.endMs, saved.edited]).toEqual([4000, 9000, true]);
    expect(within(transcript).getByText('edited')).toBeInTheDocument();

    // Escape leaves a line as it was.
    await user.click(within(transcript).getByRole('button', { name: 'Edit the line at 0:00' }));
    await user.type(within(transcript).getByLabelText('Text of the line at 0:00'), ' Oops{Escape}');
    expect(within(transcript).getByText('Good morning everyone.')).toBeInTheDocument();
    expect(engine.callsTo('transcripts.editSegment')).toHaveLength(1);
  });

  it('lists bookmarks that play from their moment, and bookmarks where playback is', async () => {
    const { engine, lecture, user } = setup();
    const marked = await screen.findByRole('list', { name: 'Marked moments' });
    await user.click(within(marked).getByRole('button', { name: /On the exam/ }));
    expect(player().currentTime).toBe(12.5);
    expect(playingLine()).toHaveTextContent('They are lipid bilayers.');

    playTo(30);
    await user.type(screen.getByLabelText('Note (optional)'), 'Diagram');
    await user.click(screen.getByRole('button', { name: 'Bookmark 0:30' }));
    expect(await within(marked).findByText('Diagram')).toBeInTheDocument();
    expect(engine.callsTo('lectures.addBookmark')).toEqual([
      { id: lecture.id, atMs: 30_000, note: 'Diagram' },
    ]);

    await user.click(within(marked).getByRole('button', { name: 'Remove the bookmark at 0:12' }));
    await waitFor(() => expect(within(marked).queryByText('On the exam')).toBeNull());
  });

  it('exports the transcript as SRT through a download', async () => {
    const { engine, lecture, user } = setup();
    const downloads: { name: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ name: this.download, href: this.href });
    });
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:export';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const form = await screen.findByRole('form', { name: 'Export the transcript' });
    expect(within(form).getByLabelText('Format')).toHaveValue('srt');
    await user.click(within(form).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(downloads).toEqual([{ name: 'Membranes.srt', href: 'blob:export' }]));
    expect(engine.callsTo('transcripts.export')).toEqual([{ lectureId: lecture.id, format: 'srt' }]);
    expect(await created[0]!.text()).toContain('They are lipid bilayers.');
    expect(created[0]!.type).toBe('application/x-subrip');
  });

  it('transcribes again with a chosen installed speech model and shows its progress', async () => {
    const small = speechModel({
      id: 'whisper-base.en',
      name: 'Whisper base.en',
      installed: true,
      status: 'installed',
    });
    const better = speechModel({
      id: 'whisper-small.en',
      name: 'Whisper small.en',
      installed: true,
      status: 'installed',
    });
    const { engine, lecture, user } = setup({ models: [small, better] });
    const model = await screen.findByRole('combobox', { name: 'Speech model' });
    await user.selectOptions(model, 'Whisper small.en');
    await user.click(screen.getByRole('button', { name: 'Transcribe again with this model' }));
    expect(engine.callsTo('transcripts.transcribe')).toEqual([
      { lectureId: lecture.id, modelId: 'whisper-small.en' },
    ]);
    expect(await screen.findByText('Waiting to transcribe')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Transcribe again with this model' })).toBeDisabled();

    const jobId = engine.transcripts.get(lecture.id)!.status.jobId!;
    act(() => engine.setTranscriptStatus(lecture.id, { state: 'running' }));
    act(() =>
      engine.transport.emit({
        name: 'job.progress',
        payload: { id: jobId, kind: 'transcripts.transcribe', progress: 0.25, message: null },
      }),
    );
    expect(await screen.findByText('Transcribing…')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('progressbar', { name: 'Transcription progress' })).toHaveAttribute(
        'value',
        '0.25',
      ),
    );
  });

  it('before any transcript, says so once and offers to transcribe (not "again")', async () => {
    const lecture = makeLecture({ title: 'Untranscribed' });
    const engine = createLecturesTestEngine({
      lectures: [lecture],
      models: [speechModel({ installed: true, status: 'installed' })],
    });
    const { user } = renderApp(engine, `/lectures/${lecture.id}`);
    const transcript = await screen.findByRole('region', { name: 'Transcript' });
    const transcribe = await within(transcript).findByRole('button', { name: 'Transcribe' });
    expect(within(transcript).getAllByText(/no transcript|no lines/i)).toHaveLength(1);

    await user.click(transcribe);
    expect(await within(transcript).findByText('Waiting to transcribe')).toBeInTheDocument();
    expect(within(transcript).getByText('Lines appear here as they are written.')).toBeInTheDocument();
    expect(within(transcript).getByRole('button', { name: 'Transcribe' })).toBeDisabled();

    // A failed first attempt still has nothing to do "again".
    act(() =>
      engine.setTranscriptStatus(lecture.id, { state: 'failed', jobId: null, error: 'Out of memory.' }),
    );
    expect(await within(transcript).findByText('Out of memory.')).toBeInTheDocument();
    expect(within(transcript).getByRole('button', { name: 'Transcribe' })).toBeEnabled();
    expect(within(transcript).queryByText('Lines appear here as they are written.')).toBeNull();
  });

  it('offers a speech model when none is installed', async () => {
    setup({ models: [speechModel()] });
    const setupPanel = await screen.findByRole('region', { name: 'Transcripts need a speech model' });
    expect(within(setupPanel).getByRole('listitem', { name: /Whisper base.en/ })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Speech model' })).toBeNull();
  });

  it('says so when the lecture no longer exists', async () => {
    const engine = createLecturesTestEngine();
    renderApp(engine, `/lectures/${crypto.randomUUID()}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Lecture not found' })).toBeInTheDocument();
  });
});
