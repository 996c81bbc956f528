import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClass } from '../../test-support/fixtures';
import { renderApp } from '../../test-support/render-app';
import { installFakeMicrophone, uninstallFakeMicrophone, WEBM_HEADER } from './test-support/fake-media';
import { createLecturesTestEngine, speechModel } from './test-support/lectures-test-engine';

afterEach(uninstallFakeMicrophone);

const startButton = () => screen.findByRole('button', { name: 'Start recording' });
const stored = (engine: ReturnType<typeof createLecturesTestEngine>, id: string) =>
  (engine.chunks.get(id) ?? []).flatMap((chunk) => [...chunk]);

describe('Lectures: recording', () => {
  it('says clearly that the microphone was refused, and creates nothing', async () => {
    installFakeMicrophone({ deny: 'NotAllowedError' });
    const engine = createLecturesTestEngine();
    const { user } = renderApp(engine, '/lectures/record');
    await user.click(await startButton());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The recording did not start.');
    expect(alert).toHaveTextContent('Little Monster may not use the microphone. Allow microphone access');
    expect(alert).toHaveTextContent('Nothing was saved.');
    expect(engine.callsTo('lectures.start')).toEqual([]);
    expect(engine.lectures).toEqual([]);
    // The student can try again once they have allowed it.
    expect(await startButton()).toBeEnabled();
  });

  it('says when no microphone is connected', async () => {
    installFakeMicrophone({ deny: 'NotFoundError' });
    const engine = createLecturesTestEngine();
    const { user } = renderApp(engine, '/lectures/record');
    await user.click(await startButton());
    expect(await screen.findByRole('alert')).toHaveTextContent('No microphone was found.');
    expect(engine.callsTo('lectures.start')).toEqual([]);
  });

  it('records into the chosen class with the chosen microphone, shows live captions and bookmarks, and opens the lecture after Stop', async () => {
    const microphone = installFakeMicrophone({
      devices: [
        { deviceId: 'built-in', label: 'Built-in microphone' },
        { deviceId: 'usb', label: 'USB lapel microphone' },
      ],
    });
    const biology = makeClass({ name: 'Cell biology' });
    const engine = createLecturesTestEngine({
      classes: [biology],
      models: [speechModel({ installed: true, status: 'installed' })],
    });
    const { user } = renderApp(engine, '/lectures/record');
    const form = await screen.findByRole('form', { name: 'New recording' });
    await within(form).findByRole('option', { name: 'Cell biology' });
    await user.type(within(form).getByLabelText('Title'), 'Membranes');
    await user.selectOptions(within(form).getByLabelText('Class'), 'Cell biology');
    await user.selectOptions(
      within(form).getByLabelText('Microphone'),
      await within(form).findByRole('option', { name: 'USB lapel microphone' }),
    );
    await user.click(await startButton());

    expect(await screen.findByText('Recording', { selector: '.recorder-phase' })).toBeInTheDocument();
    expect(engine.callsTo('lectures.start')).toEqual([
      { classId: biology.id, title: 'Membranes', mimeType: 'audio/webm;codecs=opus' },
    ]);
    const lecture = engine.lectures[0]!;
    expect(microphone.streams[0]!.constraints.audio).toMatchObject({ deviceId: { exact: 'usb' } });
    expect(screen.getByRole('timer', { name: 'Recorded time' })).toHaveTextContent('0:00');

    act(() => microphone.recorder().emit([...WEBM_HEADER, 1]));
    act(() => microphone.recorder().emit([2]));
    await waitFor(() => expect(stored(engine, lecture.id)).toEqual([...WEBM_HEADER, 1, 2]));

    // What the engine transcribes live appears as it comes.
    const captions = screen.getByRole('list', { name: 'Captions' });
    act(
      () => void engine.writeSegment(lecture.id, { startMs: 0, endMs: 1800, text: 'Good morning everyone.' }),
    );
    expect(await within(captions).findByText('Good morning everyone.')).toBeInTheDocument();
    act(
      () => void engine.writeSegment(lecture.id, { startMs: 1900, endMs: 3000, text: 'Today: membranes.' }),
    );
    expect(await within(captions).findByText('Today: membranes.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Note for the bookmark (optional)'), 'On the exam');
    await user.click(screen.getByRole('button', { name: 'Important' }));
    const marked = await screen.findByRole('list', { name: 'Marked moments' });
    expect(marked).toHaveTextContent('On the exam');
    expect(engine.bookmarks.map((bookmark) => bookmark.note)).toEqual(['On the exam']);

    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(microphone.recorder().state).toBe('paused');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(microphone.recorder().state).toBe('recording');

    await user.click(screen.getByRole('button', { name: 'Stop and save' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Membranes' })).toBeInTheDocument();
    expect(window.location.hash).toBe(`#/lectures/${lecture.id}`);
    // The last piece MediaRecorder handed over on stop was stored before the lecture was stopped.
    expect(stored(engine, lecture.id)).toEqual([...WEBM_HEADER, 1, 2, 9, 9]);
    expect(lecture.status).toBe('recorded');
    expect(microphone.streams[0]!.track.stopped).toBe(true);
  });

  it('asks before the window is closed while recording, and keeps recording while the student looks elsewhere', async () => {
    const microphone = installFakeMicrophone();
    const engine = createLecturesTestEngine();
    const { user } = renderApp(engine, '/lectures/record');
    await user.click(await startButton());
    await screen.findByText('Recording', { selector: '.recorder-phase' });
    // The recorder's first piece: every recording starts with WebM's header.
    act(() => microphone.recorder().emit([...WEBM_HEADER]));

    const leaving = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leaving);
    expect(leaving.defaultPrevented).toBe(true);

    await user.click(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Library' }),
    );
    const indicator = await screen.findByRole('link', { name: /^Recording \d+:\d\d$/ });
    expect(microphone.recorder().state).toBe('recording');
    await user.click(indicator);
    await user.click(await screen.findByRole('button', { name: 'Stop and save' }));
    await screen.findByRole('heading', { level: 1, name: 'Lecture 1' });

    const after = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
  });

  it('keeps recording while the engine restarts, says it is waiting, and saves everything once it is back', async () => {
    const microphone = installFakeMicrophone();
    const engine = createLecturesTestEngine();
    const { user } = renderApp(engine, '/lectures/record');
    await user.click(await startButton());
    await screen.findByText('Recording', { selector: '.recorder-phase' });
    const lecture = engine.lectures[0]!;
    act(() => microphone.recorder().emit([...WEBM_HEADER]));
    await waitFor(() => expect(stored(engine, lecture.id)).toEqual(WEBM_HEADER));

    act(() => engine.transport.setState('reconnecting', 'connection lost'));
    act(() => microphone.recorder().emit([1]));
    act(() => microphone.recorder().emit([2]));
    expect(await screen.findByText(/Waiting for the engine/)).toHaveTextContent('nothing is lost');
    act(() => engine.transport.setState('connected'));
    await waitFor(() => expect(stored(engine, lecture.id)).toEqual([...WEBM_HEADER, 1, 2]), {
      timeout: 3000,
    });
    await waitFor(() => expect(screen.queryByText(/Waiting for the engine/)).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Stop and save' }));
    await screen.findByRole('heading', { level: 1, name: 'Lecture 1' });
    expect(stored(engine, lecture.id)).toEqual([...WEBM_HEADER, 1, 2, 9, 9]);
  });

  it('offers a speech model for live captions when none is installed', async () => {
    installFakeMicrophone();
    const engine = createLecturesTestEngine({ models: [speechModel()] });
    renderApp(engine, '/lectures/record');
    const setup = await screen.findByRole('region', { name: 'Transcripts need a speech model' });
    expect(within(setup).getByRole('listitem', { name: /Whisper base.en/ })).toBeInTheDocument();
    expect(within(setup).getByRole('button', { name: /Download/ })).toBeInTheDocument();
  });
});
