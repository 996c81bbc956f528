/**
 * Azure Speech's text-to-speech REST API on 127.0.0.1: POST /cognitiveservices/v1 with SSML
 * (`Content-Type: application/ssml+xml`), the key in `Ocp-Apim-Subscription-Key`, the audio
 * format in `X-Microsoft-OutputFormat`; 401 for a wrong key, 400 for SSML that does not parse or
 * names an unknown voice, 429 with `retry-after`. The audio is a 24 kHz 16-bit tone lasting
 * 60 ms per character of the text, so a client's decoding can be checked sample by sample.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const TONE_HZ = 440;
export const TONE_AMPLITUDE = 0.5;
export const MS_PER_CHARACTER = 60;
const RATE = 24000;

export interface RecordedSpeechRequest {
  headers: IncomingHttpHeaders;
  ssml: string;
  /** The text of the <prosody> element, as an XML parser reads it. */
  text: string;
  voice: string;
  rate: string;
}

export interface AzureSpeechServer {
  /** `http://127.0.0.1:<port>`: the endpoint to give the synthesizer. */
  url: string;
  readonly requests: RecordedSpeechRequest[];
  /** While set, every request is rate limited (429). */
  throttle: { retryAfterSeconds: number } | undefined;
  /** While true, requests are accepted and never answered. */
  hang: boolean;
  close(): Promise<void>;
}

/** The tone the server sends for `text`, as the client should decode it. */
export function expectedTone(text: string): Float32Array {
  const samples = new Float32Array(Math.round((text.length * MS_PER_CHARACTER * RATE) / 1000));
  for (let i = 0; i < samples.length; i++) {
    // `|| 0`: no negative zero, which 16-bit PCM cannot carry.
    const value = Math.round(TONE_AMPLITUDE * 32767 * Math.sin((2 * Math.PI * TONE_HZ * i) / RATE)) || 0;
    samples[i] = value / 32768;
  }
  return samples;
}

export async function startAzureSpeechServer(options: {
  key: string;
  voices: string[];
}): Promise<AzureSpeechServer> {
  const requests: RecordedSpeechRequest[] = [];
  const sockets = new Set<Socket>();
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    textNodeName: 'text',
    parseTagValue: false,
  });
  const state = { throttle: undefined as AzureSpeechServer['throttle'], hang: false };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const ssml = Buffer.concat(chunks).toString('utf8');
      if (request.headers['ocp-apim-subscription-key'] !== options.key) {
        // Real Azure answers 401 with an empty body; this one echoes the key it got, so tests
        // can prove no message ever carries a key, whatever a service sends back.
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: `invalid key ${String(request.headers['ocp-apim-subscription-key'])}` }),
        );
        return;
      }
      if (state.hang) return;
      if (state.throttle) {
        response.writeHead(429, { 'retry-after': String(state.throttle.retryAfterSeconds) });
        response.end();
        return;
      }
      if (
        request.method !== 'POST' ||
        new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== '/cognitiveservices/v1' ||
        request.headers['content-type'] !== 'application/ssml+xml' ||
        request.headers['x-microsoft-outputformat'] !== 'raw-24khz-16bit-mono-pcm'
      ) {
        response.writeHead(404);
        response.end();
        return;
      }
      if (XMLValidator.validate(ssml) !== true) return badRequest(response, 'SSML is not well-formed XML');
      const document = parser.parse(ssml) as {
        speak?: { voice?: { name?: string; prosody?: { rate?: string; text?: string | number } } };
      };
      const voice = document.speak?.voice;
      if (!voice?.name || !options.voices.includes(voice.name)) return badRequest(response, 'unknown voice');
      const text = String(voice.prosody?.text ?? '');
      requests.push({
        headers: request.headers,
        ssml,
        text,
        voice: voice.name,
        rate: voice.prosody?.rate ?? '',
      });
      const tone = expectedTone(text);
      const pcm = Buffer.alloc(tone.length * 2);
      for (let i = 0; i < tone.length; i++) pcm.writeInt16LE(Math.round(tone[i]! * 32768), i * 2);
      response.writeHead(200, { 'content-type': 'audio/x-wav' });
      response.end(pcm);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function badRequest(response: ServerResponse, reason: string): void {
  response.writeHead(400, { 'content-type': 'text/plain' });
  response.end(reason);
}
