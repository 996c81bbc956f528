import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeClass } from '../../test-support/fixtures';
import { renderApp } from '../../test-support/render-app';
import {
  createLecturesTestEngine,
  makeLecture,
  makeSegment,
  speechModel,
} from './test-support/lectures-test-engine';

const lectureList = () => screen.findByRole('list', { name: 'Lectures' });

describe('Lectures: the list', () => {
  it('lists lectures with their class, status, length and transcript, and filters by class', async () => {
    const biology = makeClass({ name: 'Cell biology' });
    const history = makeClass({ name: 'History' });
    const first = makeLecture({ title: 'Membranes', classId: biology.id, durationMs: 53 * 60_000 });
    const second = makeLecture({ title: 'The French revolution', classId: history.id, durationMs: 40_000 });
    const engine = createLecturesTestEngine({
      classes: [biology, history],
      lectures: [first, second],
      segments: [makeSegment(first.id, { startMs: 0, endMs: 2000, text: 'Good morning.' })],
    });
    const { user } = renderApp(engine, '/lectures');
    const list = await lectureList();
    const membranes = within(list).getByRole('listitem', { name: 'Membranes' });
    expect(membranes).toHaveTextContent('Cell biology');
    expect(membranes).toHaveTextContent('Recorded');
    expect(membranes).toHaveTextContent('53 min');
    await waitFor(() => expect(membranes).toHaveTextContent('Transcribed'));
    const revolution = within(list).getByRole('listitem', { name: 'The French revolution' });
    expect(revolution).toHaveTextContent('40 s');
    await waitFor(() => expect(revolution).toHaveTextContent('No transcript'));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Class' }), 'History');
    await waitFor(() =>
      expect(within(screen.getByRole('list', { name: 'Lectures' })).getAllByRole('listitem')).toHaveLength(1),
    );
    expect(engine.callsTo('lectures.list').at(-1)).toEqual({ classId: history.id });
    expect(screen.getByRole('link', { name: 'Record a lecture' })).toHaveAttribute(
      'href',
      `#/lectures/record?class=${history.id}`,
    );
  });

  it('tells the student about a recording recovered after an unexpected close, until dismissed', async () => {
    const recovered = makeLecture({
      title: 'Lecture 4',
      status: 'recovered',
      durationMs: 53 * 60_000,
      recoveryNotice: true,
    });
    const engine = createLecturesTestEngine({ lectures: [recovered] });
    const { user } = renderApp(engine, '/lectures');
    const notices = await screen.findByRole('list', { name: 'Recovered recordings' });
    expect(notices).toHaveTextContent('Recovered 53 min of “Lecture 4” after the app closed unexpectedly.');
    expect(within(notices).getByRole('link', { name: 'Open it' })).toHaveAttribute(
      'href',
      `#/lectures/${recovered.id}`,
    );
    await user.click(within(notices).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Recovered recordings' })).toBeNull());
    expect(engine.callsTo('lectures.dismissRecovery')).toEqual([{ id: recovered.id }]);
    expect(await lectureList()).toHaveTextContent('Recovered');
  });

  it('renames a lecture and deletes one after asking', async () => {
    const engine = createLecturesTestEngine({
      lectures: [makeLecture({ title: 'Lecture 1' }), makeLecture({ title: 'Lecture 2' })],
    });
    const { user } = renderApp(engine, '/lectures');
    const list = await lectureList();
    await user.click(
      within(within(list).getByRole('listitem', { name: 'Lecture 1' })).getByRole('button', {
        name: 'Rename',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Rename lecture' });
    const field = within(dialog).getByLabelText('Title');
    await user.clear(field);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('A lecture needs a title')).toBeInTheDocument();
    await user.type(field, 'Photosynthesis');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(list).findByRole('listitem', { name: 'Photosynthesis' })).toBeInTheDocument();

    await user.click(
      within(within(list).getByRole('listitem', { name: 'Lecture 2' })).getByRole('button', {
        name: 'Delete',
      }),
    );
    const confirm = await screen.findByRole('dialog', { name: 'Delete “Lecture 2”?' });
    expect(confirm).toHaveTextContent('cannot be undone');
    await user.click(within(confirm).getByRole('button', { name: 'Delete lecture' }));
    await waitFor(() => expect(within(list).queryByRole('listitem', { name: 'Lecture 2' })).toBeNull());
    expect(engine.lectures.map((lecture) => lecture.title)).toEqual(['Photosynthesis']);
  });

  it('imports a recorded lecture: uploads it, starts its job into the chosen class, and links to it when done', async () => {
    const biology = makeClass({ name: 'Cell biology' });
    const engine = createLecturesTestEngine({
      classes: [biology],
      models: [speechModel({ installed: true, status: 'installed' })],
    });
    const { user } = renderApp(engine, '/lectures');
    const zone = await screen.findByRole('region', { name: 'Import a recorded lecture' });
    await within(zone).findByRole('option', { name: 'Cell biology' });
    await user.selectOptions(within(zone).getByRole('combobox', { name: 'Add to class' }), 'Cell biology');
    const file = new File([new Uint8Array([1, 2, 3])], 'week 3.mp3', { type: 'audio/mpeg' });
    await user.upload(within(zone).getByLabelText('Recordings to import'), file);

    const row = await screen.findByRole('listitem', { name: 'week 3.mp3' });
    await waitFor(() => expect(row).toHaveTextContent('Waiting to start'));
    const [call] = engine.callsTo('lectures.importAudio') as {
      classId: string;
      source: { uploadId: string };
    }[];
    expect(call).toMatchObject({ classId: biology.id, source: { kind: 'upload', name: 'week 3.mp3' } });
    expect(engine.uploads.get(call!.source.uploadId)?.name).toBe('week 3.mp3');

    const job = engine.jobs.at(-1)!;
    engine.transport.emit({
      name: 'job.progress',
      payload: { id: job.id, kind: job.kind, progress: 0.4, message: 'Transcribing' },
    });
    await waitFor(() => expect(row).toHaveTextContent('Importing 40% · Transcribing'));
    engine.transport.emit({
      name: 'job.updated',
      payload: { job: { ...job, status: 'succeeded', progress: 1 } },
    });
    const open = await within(row).findByRole('link', { name: 'Open it' });
    expect(open).toHaveAttribute('href', `#/lectures/${engine.lectures[0]!.id}`);
    expect(await within(await lectureList()).findByRole('listitem', { name: 'week 3' })).toBeInTheDocument();
  });

  it('keeps a recording imported without a speech model and suggests the model the engine would pick', async () => {
    const engine = createLecturesTestEngine({
      models: [
        speechModel({ id: 'whisper-tiny.en', name: 'Whisper tiny.en' }),
        speechModel({ id: 'whisper-base.en-q5_1', name: 'Whisper base.en (Q5_1)' }),
      ],
    });
    const { user } = renderApp(engine, '/lectures');
    const zone = await screen.findByRole('region', { name: 'Import a recorded lecture' });
    const file = new File([new Uint8Array([1, 2, 3])], 'jfk.wav', { type: 'audio/wav' });
    await user.upload(within(zone).getByLabelText('Recordings to import'), file);

    const row = await screen.findByRole('listitem', { name: 'jfk.wav' });
    await waitFor(() => expect(row).toHaveTextContent('Added.'));
    expect(row).not.toHaveTextContent(/Not imported/);
    const lecture = engine.lectures[0]!;
    expect(within(row).getByRole('link', { name: 'Open it' })).toHaveAttribute(
      'href',
      `#/lectures/${lecture.id}`,
    );
    await user.click(within(row).getByRole('link', { name: 'Open it' }));
    const setup = await screen.findByRole('region', { name: 'Transcripts need a speech model' });
    expect(setup).toHaveTextContent('its audio is already saved');
    expect(within(setup).getByRole('listitem', { name: /Whisper base.en \(Q5_1\)/ })).toBeInTheDocument();
    expect(within(setup).queryByRole('listitem', { name: /Whisper tiny.en/ })).toBeNull();
  });

  it('says so when there are no lectures yet, and leads to the recorder', async () => {
    const engine = createLecturesTestEngine();
    const { user } = renderApp(engine, '/lectures');
    expect(await screen.findByText('No lectures yet')).toBeInTheDocument();
    await user.click(screen.getAllByRole('link', { name: 'Record a lecture' })[0]!);
    expect(await screen.findByRole('heading', { level: 1, name: 'Record a lecture' })).toBeInTheDocument();
  });
});
