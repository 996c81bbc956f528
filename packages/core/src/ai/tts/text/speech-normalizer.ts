/**
 * Rewrites what a voice would read as symbols: citation markers, links, emoji, abbreviations,
 * money, number ranges, fractions, units and maths signs. Numbers themselves (years, decimals,
 * ordinals, thousands separators, times) are left to the voice: espeak-ng, which phonemizes for
 * every local voice, and Azure read them correctly, and a rewrite here could only get the
 * language's number grammar wrong.
 */
import type { SpokenTextBuilder } from './spoken-text.js';

interface Rule {
  pattern: RegExp;
  /** The words to say for the match; '' to say nothing. */
  speak: (match: RegExpExecArray) => string;
}

/** Rules for every language: they only remove things that are not meant to be heard. */
const UNIVERSAL_RULES: Rule[] = [
  // Tutor citation markers and numeric references: [1], [1, 2], [3-5].
  { pattern: /\s?(?<![\w)])\[\d+(?:\s*[,;–-]\s*\d+)*\]/g, speak: () => '' },
  {
    pattern: /\s?\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*\uFE0F?/gu,
    speak: () => '',
  },
];

const ABBREVIATIONS: [RegExp, string][] = [
  [/\be\.g\.,?/g, 'for example,'],
  [/\bi\.e\.,?/g, 'that is,'],
  [/\bvs\.?(?=\s)/g, 'versus'],
  [/\bapprox\./g, 'approximately'],
  [/\bcf\./g, 'compare'],
  [/\ba\.k\.a\./g, 'also known as'],
  [/\bw\.r\.t\./g, 'with respect to'],
  [/\bet al\./g, 'and others'],
  [/\bDr\.(?=\s)/g, 'Doctor'],
  [/\bMr\.(?=\s)/g, 'Mister'],
  [/\bMrs\.(?=\s)/g, 'Missus'],
  [/\bMs\.(?=\s)/g, 'Miz'],
  [/\bProf\.(?=\s)/g, 'Professor'],
  [/\bFigs\.(?=\s?\d)/g, 'Figures'],
  [/\bFig\.(?=\s?\d)/g, 'Figure'],
  [/\bEqs\.(?=\s?\(?\d)/g, 'Equations'],
  [/\bEq\.(?=\s?\(?\d)/g, 'Equation'],
  [/\bCh\.(?=\s?\d)/g, 'Chapter'],
  [/\bSec\.(?=\s?\d)/g, 'Section'],
  [/\b[Nn]o\.(?=\s?\d)/g, 'number'],
  [/\bpp\.(?=\s?\d)/g, 'pages'],
  [/\bp\.(?=\s?\d)/g, 'page'],
  [/\bvol\.(?=\s?\d)/gi, 'volume'],
];

const CURRENCIES: Record<string, [string, string, string, string]> = {
  $: ['dollar', 'dollars', 'cent', 'cents'],
  '€': ['euro', 'euros', 'cent', 'cents'],
  '£': ['pound', 'pounds', 'penny', 'pence'],
  '¥': ['yen', 'yen', '', ''],
};

/** Unit symbols after a number: [singular, plural]. */
const UNITS: Record<string, [string, string]> = {
  'km/h': ['kilometer per hour', 'kilometers per hour'],
  'm/s': ['meter per second', 'meters per second'],
  'm/s²': ['meter per second squared', 'meters per second squared'],
  'm/s^2': ['meter per second squared', 'meters per second squared'],
  mph: ['mile per hour', 'miles per hour'],
  km: ['kilometer', 'kilometers'],
  cm: ['centimeter', 'centimeters'],
  mm: ['millimeter', 'millimeters'],
  nm: ['nanometer', 'nanometers'],
  µm: ['micrometer', 'micrometers'],
  kg: ['kilogram', 'kilograms'],
  mg: ['milligram', 'milligrams'],
  ml: ['milliliter', 'milliliters'],
  mL: ['milliliter', 'milliliters'],
  '°C': ['degree Celsius', 'degrees Celsius'],
  '°F': ['degree Fahrenheit', 'degrees Fahrenheit'],
  Hz: ['hertz', 'hertz'],
  kHz: ['kilohertz', 'kilohertz'],
  MHz: ['megahertz', 'megahertz'],
  GHz: ['gigahertz', 'gigahertz'],
  kB: ['kilobyte', 'kilobytes'],
  KB: ['kilobyte', 'kilobytes'],
  MB: ['megabyte', 'megabytes'],
  GB: ['gigabyte', 'gigabytes'],
  TB: ['terabyte', 'terabytes'],
  mol: ['mole', 'moles'],
  kJ: ['kilojoule', 'kilojoules'],
  kW: ['kilowatt', 'kilowatts'],
  kWh: ['kilowatt hour', 'kilowatt hours'],
};
const UNIT_PATTERN = Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .map((unit) => unit.replace(/[/^]/g, (c) => `\\${c}`))
  .join('|');

const FRACTION_NAMES = [
  '',
  '',
  'half',
  'third',
  'quarter',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];
const SMALL_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

const SYMBOLS: Record<string, string> = {
  '&': 'and',
  '±': 'plus or minus',
  '×': 'times',
  '÷': 'divided by',
  '≈': 'approximately',
  '≠': 'is not equal to',
  '≤': 'is less than or equal to',
  '≥': 'is greater than or equal to',
  '<': 'is less than',
  '>': 'is greater than',
  '=': 'equals',
  '→': 'leads to',
  '⇒': 'implies',
  '∞': 'infinity',
  '√': 'the square root of',
};

const ENGLISH_RULES: Rule[] = [
  {
    pattern: /\b(?:https?:\/\/|www\.)[^\s<>[\]]*[^\s<>[\].,;:!?'")]/gi,
    speak: (match) => linkWords(match[0]),
  },
  ...ABBREVIATIONS.map(([pattern, words]): Rule => ({ pattern, speak: () => words })),
  // "etc." ending a sentence keeps the full stop it was written with.
  { pattern: /\betc\.(?=\s+[A-Z]|\s*$)/g, speak: () => 'et cetera.' },
  { pattern: /\betc\./g, speak: () => 'et cetera' },
  {
    pattern:
      /([$€£¥])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?:\s?(thousand|million|billion|trillion|k|m|bn)\b)?/gi,
    speak: (match) => money(match),
  },
  {
    // 1990–2000, pages 10-20 (not dates such as 2024-05-01, nor a minus inside maths).
    pattern: /(?<![\d.,\-–/:])(\d+(?:\.\d+)?)\s?[–—-]\s?(\d+(?:\.\d+)?)(?![\d\-–/:])/g,
    speak: (match) => `${match[1]} to ${match[2]}`,
  },
  {
    pattern: /(?<![\d/.,])([1-9])\/(10|[2-9])(?![\d/])/g,
    speak: (match) => fraction(Number(match[1]), Number(match[2])) ?? match[0],
  },
  {
    pattern: new RegExp(`(\\d(?:[\\d,]*\\d)?(?:\\.\\d+)?)\\s?(${UNIT_PATTERN})(?![\\p{L}\\d])`, 'gu'),
    speak: (match) => `${match[1]} ${UNITS[match[2]!]![match[1] === '1' ? 0 : 1]}`,
  },
  { pattern: /\band\/or\b/g, speak: () => 'and or' },
  { pattern: /~(?=\s?\d)/g, speak: () => 'about ' },
  { pattern: /#(?=\d)/g, speak: () => 'number ' },
  // Signs standing alone between words or numbers (not inside words, code or arrows such as <=).
  { pattern: /(?<=^|\s)[&±×÷≈≠≤≥<>=→⇒∞√](?=\s|$)/g, speak: (match) => SYMBOLS[match[0]]! },
  { pattern: /[±×÷≈≠≤≥→⇒∞√]/g, speak: (match) => ` ${SYMBOLS[match[0]]!} ` },
];

/** What to say for a web address: where it goes ("a link to en.wikipedia.org"), not every character. */
export function linkWords(url: string): string {
  try {
    const host = new URL(/^www\./i.test(url) ? `https://${url}` : url).hostname.replace(/^www\./i, '');
    return host ? `a link to ${host}` : 'a link';
  } catch {
    return 'a link';
  }
}

function money(match: RegExpExecArray): string {
  const [, symbol, whole, cents, scale] = match as unknown as [string, string, string, string?, string?];
  const [one, many, cent, centMany] = CURRENCIES[symbol]!;
  const scaleWord = scale
    ? ({ k: 'thousand', m: 'million', bn: 'billion' }[scale.toLowerCase()] ?? scale.toLowerCase())
    : '';
  if (scaleWord) return `${whole}${cents ? `.${cents}` : ''} ${scaleWord} ${many}`;
  const amount = `${whole} ${whole === '1' ? one : many}`;
  if (!cents || Number(cents) === 0 || !cent) return cents && !cent ? `${whole}.${cents} ${many}` : amount;
  const centValue = Number(cents.length === 1 ? `${cents}0` : cents);
  return `${amount} ${centValue} ${centValue === 1 ? cent : centMany}`;
}

function fraction(numerator: number, denominator: number): string | null {
  if (numerator >= denominator) return null;
  const name = FRACTION_NAMES[denominator]!;
  const plural = numerator === 1 ? name : name === 'half' ? 'halves' : `${name}s`;
  return `${SMALL_NUMBERS[numerator]} ${plural}`;
}

/**
 * Adds `text` (found at `sourceOffset` in the source) to `builder`: as written where a voice
 * reads it well, rewritten where it would read symbols.
 */
export function addSpeakable(
  builder: SpokenTextBuilder,
  text: string,
  sourceOffset: number,
  language: string,
): void {
  const rules = language.toLowerCase().startsWith('en')
    ? [...UNIVERSAL_RULES, ...ENGLISH_RULES]
    : UNIVERSAL_RULES;
  const replacements = findReplacements(text, rules);
  let at = 0;
  for (const { start, end, spoken } of replacements) {
    if (start > at) builder.verbatim(text.slice(at, start), sourceOffset + at);
    if (spoken === '') {
      // A marker removed from between two words must not glue them together.
      if (/[\p{L}\p{N}]/u.test(text[start - 1] ?? '') && /[\p{L}\p{N}]/u.test(text[end] ?? ''))
        builder.space(sourceOffset + start);
    } else {
      builder.rewritten(spoken, sourceOffset + start, sourceOffset + end);
    }
    at = end;
  }
  if (at < text.length) builder.verbatim(text.slice(at), sourceOffset + at);
}

interface Replacement {
  start: number;
  end: number;
  spoken: string;
}

/** Every rule's matches, earlier rules winning where two overlap, in text order. */
function findReplacements(text: string, rules: Rule[]): Replacement[] {
  const taken: Replacement[] = [];
  const claimed = new Uint8Array(text.length);
  const isFree = (start: number, end: number) => {
    for (let i = start; i < end; i++) if (claimed[i]) return false;
    return true;
  };
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let match = rule.pattern.exec(text); match; match = rule.pattern.exec(text)) {
      if (match[0] === '') {
        rule.pattern.lastIndex++;
        continue;
      }
      const start = match.index;
      const end = start + match[0].length;
      if (!isFree(start, end)) continue;
      claimed.fill(1, start, end);
      taken.push({ start, end, spoken: rule.speak(match) });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}
