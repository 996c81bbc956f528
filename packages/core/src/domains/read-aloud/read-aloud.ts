import { AppError } from '../../contract/index.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import { Readings } from './reading.js';

/**
 * Reading text aloud: the voices there are (built-in espeak-ng, installed Piper voices, Azure
 * Speech when configured), and one reading at a time streamed to the UI sentence by sentence.
 * The engine provider picks and loads the voice; the choice and speed are settings.
 */
export function createReadAloud(kit: DomainKit): DomainModule<ProceduresOf<'readAloud'>> {
  const voices = kit.engines.voices;
  const readings = new Readings(kit.bus, kit.logger);
  const voicesChanged = () => kit.bus.emit('readAloud.voicesChanged', {});
  return {
    handlers: {
      'readAloud.voices': async () => {
        const { voices: all, current, azure } = await voices.list();
        return { voices: all, current: current.id, speed: kit.queries.settings.get().readAloudSpeed, azure };
      },
      'readAloud.speak': async ({ text, format, voiceId, speed, startAt }) => {
        if (text.trim() === '')
          throw new AppError('INVALID_INPUT', 'There is nothing to read aloud: the text is empty.');
        const synthesizer = await voices.synthesizer(voiceId);
        const readingId = readings.start({
          text,
          synthesizer,
          options: {
            format,
            preparer: voices.preparer,
            speed: speed ?? kit.queries.settings.get().readAloudSpeed,
            startAt,
          },
        });
        return { readingId, voiceId: synthesizer.voice.id };
      },
      'readAloud.played': ({ readingId, index }) => {
        readings.played(readingId, index);
        return { readingId };
      },
      'readAloud.stop': ({ readingId }) => {
        readings.stop(readingId);
        return { readingId };
      },
      'readAloud.configureAzure': async (setup) => {
        const config = await voices.configureAzure(setup);
        voicesChanged();
        return config;
      },
      'readAloud.removeAzure': async () => {
        await voices.removeAzure();
        voicesChanged();
        return {};
      },
    },
    subscriptions: {
      'engines.changed': ({ ports }) => {
        if (ports.includes('voice')) voicesChanged();
      },
    },
    close: () => readings.close(),
  };
}
