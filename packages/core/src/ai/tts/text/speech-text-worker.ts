/** Prepares text for speech on a warm worker thread (SpeechPreparer starts it). */
import { serveWarmTasks } from '../../../workers/warm-workers.js';
import { prepareSpeech, type PrepareSpeechOptions } from './speech-script.js';

serveWarmTasks(({ text, options }: { text: string; options: PrepareSpeechOptions }) =>
  prepareSpeech(text, options),
);
