/**
 * The SSML document Azure Speech is sent for one sentence. Everything that comes from the student
 * (the text, and the voice and language they typed) is escaped, so no text can end the element
 * it sits in or add markup of its own.
 */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&${XML_ENTITIES[character]};`);
}

const XML_ENTITIES: Record<string, string> = { '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' };

/** Characters XML 1.0 does not allow at all (control characters but tab and line breaks). */
// eslint-disable-next-line no-control-regex -- matching them is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function sentenceSsml(text: string, voice: string, language: string, speed: number): string {
  // SSML's relative rate: "+100%" is twice as fast, "-50%" half as fast.
  const percent = Math.round((speed - 1) * 100);
  const rate = `${percent >= 0 ? '+' : ''}${percent}%`;
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${escapeXml(language)}">` +
    `<voice name="${escapeXml(voice)}"><prosody rate="${rate}">${escapeXml(text.replace(NOT_XML, ' '))}</prosody></voice>` +
    `</speak>`
  );
}
