/** One word of a question with the index term it stands for. */
export interface Term {
  /** The word as typed. */
  readonly word: string;
  /** Its index term (stemmed, synonyms mapped, typos corrected). */
  readonly term: string;
}

export interface QuestionFeatures {
  /** Feature → value, scaled so that long questions do not outweigh short ones. */
  readonly values: Map<string, number>;
  /** Feature → the typed words behind it, to explain an answer. */
  readonly words: Map<string, string[]>;
}

/** What the features need to know about the library. */
export interface FeatureContext {
  /** Whether in-scope training text uses the term often enough for it to count as known. */
  known(term: string): boolean;
  /** The focus level a term names ("narrow" → narrow), if any. */
  levelOf(term: string): string | undefined;
}

/** Features that describe the question as a whole, not a word of it: never shown as a reason. */
export function isShapeFeature(feature: string): boolean {
  return feature.startsWith("u:") || feature.startsWith("level:several");
}

/**
 * The features a question is judged by:
 * - `w:<term>` each meaningful word, stemmed ("managers" → `w:manag`);
 * - `r:<word>` the word as written, since stems blur what matters here ("team" vs "teams");
 * - `b:<term> <term>` each pair of neighbouring meaningful words ("go back", "#num team");
 * - `u:*`, the share of the question's words that no in-scope text uses: a question mostly about
 *   unknown things ("laptop", "garage", "postgres") reads as one the library has no guidance on;
 * - `level:<level>` when the question names exactly one focus level, `level:several` for more.
 */
export function questionFeatures(terms: readonly Term[], context: FeatureContext): QuestionFeatures {
  const words = new Map<string, string[]>();
  const add = (feature: string, word: string) => {
    const list = words.get(feature);
    if (!list) words.set(feature, [word]);
    else if (!list.includes(word)) list.push(word);
  };
  const levels = new Map<string, string>();
  terms.forEach(({ word, term }, index) => {
    add(`w:${term}`, word);
    add(`r:${word}`, word);
    const next = terms[index + 1];
    if (next) {
      add(`b:${term} ${next.term}`, word);
      add(`b:${term} ${next.term}`, next.word);
    }
    if (!context.known(term)) add("u:*", word);
    const level = context.levelOf(term);
    if (level !== undefined) levels.set(level, word);
  });
  if (levels.size === 1) for (const [level, word] of levels) add(`level:${level}`, word);
  if (levels.size > 1) add("level:several", "");
  const count = terms.length;
  const scale = 1 / Math.sqrt(words.size);
  const values = new Map<string, number>();
  for (const [feature, typed] of words) {
    // The share of unknown words is what says "this is about something else", however long the question.
    values.set(feature, feature.startsWith("u:") ? typed.length / count : scale);
  }
  return { values, words };
}
