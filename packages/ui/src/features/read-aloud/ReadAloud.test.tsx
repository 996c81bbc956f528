import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '@little-monster/core/contract';
import { renderApp } from '../../test-support/render-app';
import { ESPEAK_VOICE } from '../../test-support/test-engine';
import {
  createTutorTestEngine,
  makeConversation,
  makeMessage,
  type TutorTestEngine,
} from '../tutor/test-support/tutor-test-engine';

const ANSWER = 'Cells **divide** by mitosis. Then they grow.';
const READING = '6f1c1f5e-8f0e-4c55-9d55-2f0a6f5d2a11';

/** A tutor engine with one written answer, and read-aloud handlers that start reading `READING`. */
function engineWithAnswer(): { engine: TutorTestEngine; path: string } {
  const engine = createTutorTestEngine();
  const conversation = makeConversation({ title: 'Cells', messageCount: 2 });
  engine.conversations.push(conversation);
  engine.messages.push(
    makeMessage(conversation.id, { role: 'user', text: 'How do cells divide?' }),
    makeMessage(conversation.id, { role: 'assistant', text: ANSWER }),
  );
  Object.assign(engine.handlers, {
    'readAloud.speak': () => ({ readingId: READING, voiceId: ESPEAK_VOICE.id }),
    'readAloud.played': ({ readingId }: { readingId: string }) => ({ readingId }),
    'readAloud.stop': ({ readingId }: { readingId: string }) => ({ readingId }),
  });
  return { engine, path: `/tutor?conversation=${conversation.id}` };
}

function sentence(index: number, text: string, words: EventPayload<'readAloud.sentence'>['words'] = null) {
  const start = ANSWER.indexOf(text);
  return {
    name: 'readAloud.sentence' as const,
    payload: {
      readingId: READING,
      index,
      count: 2,
      source: { start, end: start + text.length },
      text,
      wav: btoa('RIFF....WAVEfmt '),
      durationSec: 1,
      words,
    },
  };
}

const audio = () => document.querySelector<HTMLAudioElement>('audio[aria-label="Read-aloud audio"]')!;
const bar = () => screen.getByRole('region', { name: 'Reading aloud' });

function playTo(seconds: number) {
  act(() => {
    audio().currentTime = seconds;
    audio().dispatchEvent(new Event('timeupdate'));
  });
}

describe('Read aloud', () => {
  it('reads an answer: the sentence being spoken is shown with its word marked, then the next, until the end', async () => {
    const { engine, path } = engineWithAnswer();
    const { user } = renderApp(engine, path);
    await user.click(await screen.findByRole('button', { name: 'Read aloud the answer' }));
    await waitFor(() =>
      expect(engine.callsTo('readAloud.speak')).toEqual([{ text: ANSWER, format: 'markdown', startAt: 0 }]),
    );
    const divide = ANSWER.indexOf('divide');
    act(() =>
      engine.transport.emit(
        sentence(0, 'Cells **divide** by mitosis.', [
          { start: 0, end: 5, startSec: 0, endSec: 0.4 },
          { start: divide, end: divide + 6, startSec: 0.4, endSec: 0.9 },
        ]),
      ),
    );
    expect(await within(bar()).findByText('Sentence 1 of 2')).toBeInTheDocument();
    expect(audio().src).toMatch(/^blob:/);
    playTo(0.5);
    expect(within(bar()).getByText('divide')).toHaveAttribute('aria-current', 'true');

    act(() => {
      engine.transport.emit(sentence(1, 'Then they grow.'));
      engine.transport.emit({
        name: 'readAloud.ended',
        payload: { readingId: READING, reason: 'finished', message: null },
      });
    });
    // The first sentence's audio ends: the second plays, highlighted whole (no word timings).
    act(() => void audio().dispatchEvent(new Event('ended')));
    expect(within(bar()).getByText('Then they grow.').tagName).toBe('MARK');
    expect(within(bar()).getByText('Sentence 2 of 2')).toBeInTheDocument();
    // The engine is told what is heard, so it stays only a few sentences ahead.
    expect(engine.callsTo('readAloud.played')).toEqual([
      { readingId: READING, index: 0 },
      { readingId: READING, index: 1 },
    ]);
    act(() => void audio().dispatchEvent(new Event('ended')));
    expect(screen.queryByRole('region', { name: 'Reading aloud' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Read aloud the answer' })).toBeInTheDocument();
  });

  it('pauses, resumes and stops, telling the engine to stop reading', async () => {
    const { engine, path } = engineWithAnswer();
    const { user } = renderApp(engine, path);
    await user.click(await screen.findByRole('button', { name: 'Read aloud the answer' }));
    act(() => engine.transport.emit(sentence(0, 'Cells **divide** by mitosis.')));
    await within(bar()).findByText('Sentence 1 of 2');
    await user.click(within(bar()).getByRole('button', { name: 'Pause' }));
    expect(within(bar()).getByRole('button', { name: 'Resume' })).toBeInTheDocument();
    await user.click(within(bar()).getByRole('button', { name: 'Resume' }));
    await user.click(screen.getByRole('button', { name: 'Stop reading the answer' }));
    expect(engine.callsTo('readAloud.stop')).toEqual([{ readingId: READING }]);
    expect(screen.queryByRole('region', { name: 'Reading aloud' })).not.toBeInTheDocument();
    expect(audio().paused).toBe(true);
  });

  it('says why a reading failed, beside the text it was for', async () => {
    const { engine, path } = engineWithAnswer();
    const { user } = renderApp(engine, path);
    await user.click(await screen.findByRole('button', { name: 'Read aloud the answer' }));
    const message =
      'This text is written in Chinese characters. Choose a voice for its language in Settings › Voices.';
    await waitFor(() => expect(engine.callsTo('readAloud.speak')).toHaveLength(1));
    act(() =>
      engine.transport.emit({
        name: 'readAloud.ended',
        payload: { readingId: READING, reason: 'failed', message },
      }),
    );
    expect(await screen.findByText(message)).toHaveAttribute('role', 'status');
    expect(screen.queryByRole('region', { name: 'Reading aloud' })).not.toBeInTheDocument();
  });
});
