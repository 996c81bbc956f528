/**
 * Maths read as words: KaTeX turns the LaTeX into MathML and the Speech Rule Engine (the one
 * MathJax and screen readers use) says it in ClearSpeak English ("x squared plus 1", "a over b",
 * "the square root of 2"). A formula whose reading would be long (a matrix, a big sum) is
 * announced as "formula" instead: a listener cannot follow forty words of symbols.
 */
import type * as Sre from 'speech-rule-engine/js/index.js';

/** Readings longer than this many words are replaced by {@link FORMULA}. */
export const MAX_MATH_WORDS = 18;
export const FORMULA = 'formula';

export interface MathSpeaker {
  /** The words for a LaTeX formula, or "formula" when it is long or not valid LaTeX. */
  speak(tex: string): string;
}

let loading: Promise<MathSpeaker> | undefined;

/** Loads the engines once (about a second: the rule sets are large); later calls share them. */
export function loadMathSpeaker(): Promise<MathSpeaker> {
  loading ??= load();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

async function load(): Promise<MathSpeaker> {
  const [{ default: katex }, sre] = await Promise.all([
    import('katex'),
    import('speech-rule-engine/js/index.js') as Promise<typeof Sre>,
  ]);
  await sre.setupEngine({ locale: 'en', domain: 'clearspeak', modality: 'speech' });
  await sre.engineReady();
  return {
    speak(tex) {
      const source = tex.trim();
      if (source === '') return '';
      let words: string;
      try {
        const mathml = katex.renderToString(source, { output: 'mathml', throwOnError: true });
        const math = /<math[\s\S]*<\/math>/.exec(mathml)?.[0];
        words = math ? sre.toSpeech(math).trim() : '';
      } catch {
        return FORMULA;
      }
      if (words === '') return FORMULA;
      return words.split(/\s+/).length > MAX_MATH_WORDS ? FORMULA : words;
    },
  };
}
