/* global AudioWorkletProcessor, registerProcessor, sampleRate -- the AudioWorkletGlobalScope's */
/**
 * Little Monster's live-caption tap on the microphone (an AudioWorklet, loaded by
 * src/features/lectures/recorder/live-audio.ts). It mixes the input to mono and hands it to the
 * page in 100 ms batches; the page low-pass filters and resamples it to 16 kHz (tested code in
 * downsampler.ts). A file of the app rather than a blob: URL, so the strict CSP needs no change.
 * While paused it sends nothing: paused time is not part of the recording.
 */
const BATCH_SECONDS = 0.1;

class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.batch = new Float32Array(Math.max(128, Math.round(sampleRate * BATCH_SECONDS)));
    this.filled = 0;
    this.paused = false;
    this.stopped = false;
    this.port.onmessage = (event) => {
      if (event.data === 'pause' && !this.paused) {
        this.paused = true;
        this.send();
        // Tells the page that what came before the pause has all arrived.
        this.port.postMessage('paused');
      } else if (event.data === 'resume') {
        this.paused = false;
      } else if (event.data === 'stop') {
        this.stopped = true;
        this.send();
        this.port.postMessage('stopped');
      }
    };
  }

  send() {
    if (this.filled === 0) return;
    const samples = this.batch.slice(0, this.filled);
    this.port.postMessage(samples, [samples.buffer]);
    this.filled = 0;
  }

  process(inputs) {
    if (this.stopped) return false;
    const channels = inputs[0];
    if (this.paused || !channels || channels.length === 0) return true;
    const frames = channels[0].length;
    const count = channels.length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < count; c++) sum += channels[c][i];
      this.batch[this.filled++] = sum / count;
      if (this.filled === this.batch.length) this.send();
    }
    return true;
  }
}

registerProcessor('lm-pcm-capture', PcmCaptureProcessor);
