/**
 * Which writing systems a voice can read. An English voice given Chinese would spell "Chinese
 * letter" for every character; such sentences are recognised by their letters' Unicode scripts
 * and skipped with a message instead.
 */
const LATIN = ['Latin'];
const SCRIPTS_BY_LANGUAGE: Record<string, string[]> = {
  ...Object.fromEntries(
    'af sq eu ca hr cs da nl en eo et fi fr gl de hu is id ga it lv lt lb ms mt nb nn no pl pt ro gd sk sl es sw sv tr vi cy yo'
      .split(' ')
      .map((language) => [language, LATIN]),
  ),
  ...Object.fromEntries(
    'ru uk bg be mk kk ky mn tt ba cv'.split(' ').map((language) => [language, ['Cyrillic']]),
  ),
  sr: ['Cyrillic', 'Latin'],
  el: ['Greek'],
  zh: ['Han'],
  cmn: ['Han'],
  yue: ['Han'],
  ja: ['Han', 'Hiragana', 'Katakana'],
  ko: ['Hangul', 'Han'],
  ar: ['Arabic'],
  fa: ['Arabic'],
  ur: ['Arabic'],
  he: ['Hebrew'],
  hi: ['Devanagari'],
  mr: ['Devanagari'],
  ne: ['Devanagari'],
  bn: ['Bengali'],
  ta: ['Tamil'],
  te: ['Telugu'],
  th: ['Thai'],
  ka: ['Georgian'],
  hy: ['Armenian'],
  am: ['Ethiopic'],
  gu: ['Gujarati'],
  kn: ['Kannada'],
  ml: ['Malayalam'],
  pa: ['Gurmukhi'],
  si: ['Sinhala'],
  my: ['Myanmar'],
  km: ['Khmer'],
  lo: ['Lao'],
};

/** Names a student recognises, for the scripts a message may mention. */
const SCRIPT_NAMES: Record<string, string> = {
  Han: 'Chinese characters',
  Hiragana: 'Japanese',
  Katakana: 'Japanese',
  Hangul: 'Korean',
  Cyrillic: 'Cyrillic',
  Arabic: 'Arabic script',
  Hebrew: 'Hebrew script',
  Greek: 'Greek',
  Devanagari: 'Devanagari',
  Thai: 'Thai',
  Latin: 'Latin letters',
};

const DETECTED = [...new Set([...Object.values(SCRIPTS_BY_LANGUAGE).flat(), 'Hiragana', 'Katakana'])].map(
  (script) => ({ script, pattern: new RegExp(`\\p{Script=${script}}`, 'u') }),
);

/** The scripts a voice for `language` ("en-us", "fr", "cmn") reads, or null when unknown. */
function scriptsFor(language: string): string[] | null {
  return SCRIPTS_BY_LANGUAGE[language.toLowerCase().split(/[-_]/)[0]!] ?? null;
}

/**
 * The script most of `text`'s letters are in when the voice cannot read it, else null (the
 * voice can read it, or its language's scripts are unknown, or the text has no letters).
 */
export function unreadableScript(text: string, language: string): string | null {
  const readable = scriptsFor(language);
  if (!readable) return null;
  const counts = new Map<string, number>();
  let letters = 0;
  let readableLetters = 0;
  for (const character of text) {
    if (!/\p{L}/u.test(character)) continue;
    letters++;
    const script = DETECTED.find((entry) => entry.pattern.test(character))?.script ?? 'other';
    if (readable.includes(script)) readableLetters++;
    else counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  if (letters === 0 || readableLetters * 2 >= letters) return null;
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/** "Chinese characters", "Cyrillic"... for a message. */
export function scriptName(script: string): string {
  return SCRIPT_NAMES[script] ?? `${script} script`;
}
