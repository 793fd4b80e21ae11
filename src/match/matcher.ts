import MiniSearch, { type SearchOptions } from "minisearch";
import type { Example, Library, Section } from "../content/types.js";
import { sectionKey } from "../content/types.js";
import { Classifier, type Example as TrainingExample } from "./classifier.js";
import { type FeatureContext, isShapeFeature, questionFeatures, type Term } from "./features.js";
import { cleanQuestion } from "./question.js";
import { KNOWN_SPELLINGS, termOf, tokenize } from "./terms.js";

/**
 * How the matcher decides (see also `docs/matching.md`):
 *
 * 1. The question is cleaned of Slack markup and cut into terms: stemmed, synonyms mapped, typos
 *    corrected against the words the content and its examples use.
 * 2. A softmax classifier scores every section plus "no guidance". It learns, each time content
 *    loads, from the sections (heading, summary, aliases, sentences) and the labelled questions in
 *    `content/examples.jsonl`, over word, word-pair, level-name and unknown-word features.
 * 3. BM25 search over the sections (MiniSearch) adds evidence from the article's own words.
 * 4. The best section answers when its confidence reaches `minConfidence`; runners-up within
 *    `alternativeShare` of it are offered as alternatives.
 *
 * Every number in `DEFAULT_MATCHER_OPTIONS` was chosen by 5-fold cross-validation on the tuning
 * questions (`npm run eval -- --tune`); the held-out questions were never used to choose them.
 */
export interface MatcherOptions {
  /** Least confidence (0-1, against no guidance) the best section needs to answer; below it, no guidance. */
  minConfidence?: number;
  /** A runner-up is an alternative when its share of the evidence is at least this part of the best's. */
  alternativeShare?: number;
  /** Weight of the search (BM25) evidence against the classifier's. */
  searchWeight?: number;
  /** L2 penalty on the classifier's weights. */
  l2?: number;
  /** Training passes over the examples. */
  epochs?: number;
  /** Step size of the first training pass. */
  learningRate?: number;
  /** Weight of one sentence of article text as a training example, against a labelled question. */
  textWeight?: number;
  /** Edit distance allowed for typos, as a fraction of the word's length (words of 5+ letters). */
  fuzzy?: number;
  /** Factor on an overview section's evidence when the question names exactly one focus level. */
  overviewWhenOneLevel?: number;
}

export const DEFAULT_MATCHER_OPTIONS: Required<MatcherOptions> = {
  minConfidence: 0.85,
  alternativeShare: 0.3,
  searchWeight: 0.25,
  l2: 3e-4,
  epochs: 30,
  learningRate: 2,
  textWeight: 0.5,
  fuzzy: 0.2,
  overviewWhenOneLevel: 0.2,
};

export interface Match {
  readonly section: Section;
  /** Confidence, 0-1, that this section answers the question rather than no guidance at all. */
  readonly score: number;
  /** This section's share, 0-1, of the evidence for all sections: how it compares with the others. */
  readonly share: number;
  /** The question's own words that led to this section, as the person typed them. */
  readonly words: readonly string[];
}

/** The answer to a question: the best section and any close runners-up, best first (at most 2). */
export interface Decision {
  readonly best: Match;
  readonly alternatives: readonly Match[];
}

/** Shorter words are not corrected: too many real words are one letter apart. */
const MIN_CORRECTED_LENGTH = 5;
const ALIAS_BOOST = 2;
const MAX_ALTERNATIVES = 2;
/**
 * Above this many sections the classifier is not trained (its cost grows with sections squared) and
 * sections are ranked by search alone; a search score of HALF_CONFIDENCE_SCORE reads as 0.5.
 */
const MAX_CLASSIFIED_SECTIONS = 100;
const HALF_CONFIDENCE_SCORE = 3.5;
/** In large collections, terms found in more than this share of sections are left out of questions. */
const COMMON_TERM_SHARE = 0.01;
const FEWEST_TERMS_KEPT = 2;

/** A section found by search: its score and the typed words it matched. */
interface SearchHit {
  score: number;
  words: string[];
}

interface IndexedSection {
  id: number;
  heading: string;
  text: string;
  aliases: string;
}

/** Ranks sections for free-text questions. Build once per content load; matching is synchronous. */
export class Matcher {
  readonly options: Required<MatcherOptions>;
  private readonly index: MiniSearch<IndexedSection>;
  private readonly searchOptions: SearchOptions;
  private readonly spelling: Map<string, MiniSearch<{ id: number; word: string }>>;
  /** Sections each term appears in (content and examples alike). */
  private readonly documentFrequency = new Map<string, number>();
  /** Terms of the sections' own text, headings and aliases. */
  private readonly contentWords: ReadonlySet<string>;
  private readonly commonAbove: number;
  private readonly classifier: Classifier | null;
  private readonly context: FeatureContext;
  readonly sections: readonly Section[];

  /** Learns from the library's sections and its labelled examples (`content/examples.jsonl`). */
  constructor(library: Pick<Library, "sections" | "examples">, options: MatcherOptions = {}) {
    const { sections, examples } = library;
    this.sections = sections;
    this.options = { ...DEFAULT_MATCHER_OPTIONS, ...options };
    const spellings = new Set<string>(KNOWN_SPELLINGS);
    let termsOfSection = new Set<string>();
    const noteWord = (word: string): string | false => {
      const term = termOf(word);
      if (term === null) return false;
      termsOfSection.add(term);
      if (word.length >= MIN_CORRECTED_LENGTH) spellings.add(word.toLowerCase());
      return term;
    };
    const countSection = () => {
      for (const term of termsOfSection)
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      termsOfSection = new Set();
    };
    this.index = new MiniSearch<IndexedSection>({
      fields: ["heading", "text", "aliases"],
      tokenize,
      processTerm: noteWord,
    });
    sections.forEach((section, id) => {
      this.index.add({
        id,
        heading: section.heading,
        text: section.plain,
        aliases: section.aliases.join(" \n "),
      });
      countSection();
    });
    // Example questions are people's own words, typos included: they must not become words that
    // typos are corrected to, nor stop a typo from being corrected. Only the content's words do.
    this.contentWords = new Set(this.documentFrequency.keys());
    this.commonAbove =
      sections.length > MAX_CLASSIFIED_SECTIONS
        ? Math.max(1, sections.length * COMMON_TERM_SHARE)
        : Number.POSITIVE_INFINITY;
    this.searchOptions = { boost: { aliases: ALIAS_BOOST, heading: 1, text: 1 }, combineWith: "OR" };
    this.spelling = spellingIndexes(spellings);

    const trained = sections.length <= MAX_CLASSIFIED_SECTIONS ? this.train(examples) : null;
    this.classifier = trained?.classifier ?? null;
    this.context = trained?.context ?? {
      known: (term) => this.contentWords.has(term),
      levelOf: () => undefined,
    };
  }

  /** Trains the classifier: one class per section, and one more (the last) for "no guidance". */
  private train(examples: readonly Example[]): { classifier: Classifier; context: FeatureContext } {
    const offTopic = this.sections.length;
    const classOf = new Map(this.sections.map((section, index) => [sectionKey(section), index]));
    const documents: { terms: Term[]; label: number; weight: number }[] = [];
    const learn = (text: string, label: number, weight: number) =>
      documents.push({ terms: this.terms(text), label, weight });
    this.sections.forEach((section, index) => {
      learn(section.heading, index, 1);
      learn(section.summary, index, 1);
      for (const alias of section.aliases) learn(alias, index, 1);
      for (const sentence of sentences(section.plain)) learn(sentence, index, this.options.textWeight);
    });
    for (const example of examples) {
      const label = example.section === null ? offTopic : classOf.get(example.section);
      if (label !== undefined) learn(example.question, label, 1);
    }
    // A word is known when some in-scope text uses it. While training, a text's own words do not
    // count for itself (leave one out): a word only that text uses teaches what an unknown word
    // looks like, as it will in real questions.
    const inScope = new Map<string, number>();
    for (const { terms, label } of documents) {
      if (label === offTopic) continue;
      for (const term of new Set(terms.map((t) => t.term))) inScope.set(term, (inScope.get(term) ?? 0) + 1);
    }
    const levels = new Map<string, string>();
    for (const section of this.sections) {
      if (section.level) for (const { term } of this.terms(section.level)) levels.set(term, section.level);
    }
    const levelOf = (term: string) => levels.get(term);
    const training: TrainingExample[] = documents
      .filter(({ terms }) => terms.length > 0)
      .map(({ terms, label, weight }) => {
        const own = label === offTopic ? 0 : 1;
        const known = (term: string) => (inScope.get(term) ?? 0) - own >= 1;
        return { features: questionFeatures(terms, { known, levelOf }).values, label, weight };
      });
    const context: FeatureContext = { known: (term) => inScope.has(term), levelOf };
    const { l2, epochs, learningRate } = this.options;
    return {
      classifier: Classifier.train(this.sections.length + 1, training, { l2, epochs, learningRate }),
      context,
    };
  }

  /** The question's meaningful words with their terms, typos corrected against the known words. */
  private terms(text: string): Term[] {
    const terms: Term[] = [];
    for (const word of tokenize(cleanQuestion(text))) {
      let term = termOf(word);
      if (term !== null && !this.contentWords.has(term) && word.length >= MIN_CORRECTED_LENGTH) {
        term = this.correct(word) ?? term;
      }
      if (term !== null) terms.push({ word, term });
    }
    return terms;
  }

  /** Sections for a question, best first, including those below the off-topic threshold. */
  rank(question: string, limit = 3): Match[] {
    const terms = this.terms(question);
    if (terms.length === 0) return [];
    const search = this.search(terms);
    if (!this.classifier) return this.rankBySearch(search, limit);
    const { values, words } = questionFeatures(terms, this.context);
    const probabilities = this.classifier.probabilities(values);
    // Product of experts: the classifier's probability times a power of the search evidence.
    // Confidence weighs each section against "no guidance" (the last class), which search has no
    // say on; the share weighs it against the other sections, which is what makes an alternative.
    const { searchWeight, overviewWhenOneLevel } = this.options;
    const noGuidance = probabilities[this.sections.length] as number;
    // A question that names one level is about that level: an overview answers it only when
    // nothing else comes close.
    const namesOneLevel = [...words.keys()].some((f) => f.startsWith("level:") && f !== "level:several");
    let total = 0;
    const scored = this.sections.map((section, index) => {
      let weight = (probabilities[index] as number) * (1 + (search.get(index)?.score ?? 0)) ** searchWeight;
      if (namesOneLevel && section.role === "overview") weight *= overviewWhenOneLevel;
      total += weight;
      return { index, section, weight };
    });
    const classifier = this.classifier;
    return scored
      .sort((a, b) => b.weight - a.weight)
      .slice(0, limit)
      .map(({ index, section, weight }) => ({
        section,
        score: weight / (weight + noGuidance),
        share: weight / total,
        words: explain(words, (feature) => classifier.pull(feature, index)),
      }));
  }

  /** Large collections: the search score alone, read as a confidence. */
  private rankBySearch(search: Map<number, SearchHit>, limit: number): Match[] {
    let total = 0;
    for (const hit of search.values()) total += hit.score;
    return [...search]
      .sort((a, b) => b[1].score - a[1].score)
      .slice(0, limit)
      .map(([index, { score, words }]) => ({
        section: this.sections[index] as Section,
        score: score / (score + HALF_CONFIDENCE_SCORE),
        share: score / total,
        words,
      }));
  }

  /** BM25 relevance × the share of the question's terms each section matches, by section index. */
  private search(terms: readonly Term[]): Map<number, SearchHit> {
    const df = (term: string) => this.documentFrequency.get(term) ?? 0;
    const all = [...new Set(terms.map((t) => t.term))];
    // In a large collection a term found in many sections adds little to the ranking but makes
    // every one of those sections a candidate to score; a question of only such terms keeps its rarest.
    const rare = all.filter((term) => df(term) <= this.commonAbove);
    const unique = rare.length > 0 ? rare : all.sort((a, b) => df(a) - df(b)).slice(0, FEWEST_TERMS_KEPT);
    const results = this.index.search(unique.join(" "), {
      ...this.searchOptions,
      tokenize: (text) => text.split(" "),
      processTerm: (term) => term,
    });
    const typed = new Map(terms.map(({ term, word }) => [term, word]));
    return new Map(
      results.map((result) => [
        result.id as number,
        {
          score: (result.score * result.queryTerms.length) / unique.length,
          words: result.queryTerms.map((term) => typed.get(term) ?? term),
        },
      ]),
    );
  }

  /** The term of the known word closest to a misspelled one, if any is close enough. */
  private correct(word: string): string | null {
    const lower = word.toLowerCase();
    const [closest] = this.spelling.get(lower.charAt(0))?.search(lower, { fuzzy: this.options.fuzzy }) ?? [];
    return closest ? termOf(closest.word as string) : null;
  }

  /** The answer and its close runners-up, or null when no section fits well enough. */
  decide(question: string): Decision | null {
    return choose(this.rank(question, MAX_ALTERNATIVES + 1), this.options);
  }

  /** The section that answers the question, or null when none fits well enough. */
  best(question: string): Match | null {
    return this.decide(question)?.best ?? null;
  }
}

/**
 * The decision rule, shared with the evaluation so both always agree: the best-ranked section
 * answers if its confidence reaches `minConfidence` and at least one of the question's words
 * supports it (an answer must be able to say why); runners-up with at least `alternativeShare` of
 * its share, that would pass on their own and are supported by words too, are its alternatives.
 */
export function choose<T extends { score: number; share: number; words: readonly string[] }>(
  ranking: readonly T[],
  options: Pick<Required<MatcherOptions>, "minConfidence" | "alternativeShare">,
): { best: T; alternatives: T[] } | null {
  const [best, ...rest] = ranking;
  if (!best || best.score < options.minConfidence || best.words.length === 0) return null;
  const floor = best.share * options.alternativeShare;
  const alternatives = rest
    .slice(0, MAX_ALTERNATIVES)
    .filter((match) => match.share >= floor && match.words.length > 0);
  return { best, alternatives };
}

/** Typed words whose features pull towards a section, strongest first. */
function explain(words: ReadonlyMap<string, readonly string[]>, pull: (feature: string) => number): string[] {
  const strength = new Map<string, number>();
  for (const [feature, typed] of words) {
    if (isShapeFeature(feature)) continue;
    const value = pull(feature);
    if (value <= 0) continue;
    for (const word of typed) strength.set(word, Math.max(strength.get(word) ?? 0, value));
  }
  return [...strength].sort((a, b) => b[1] - a[1]).map(([word]) => word);
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.trim() !== "");
}

/**
 * Typos are corrected word by word against known words, before stemming: a typo usually stops the
 * stemmer ("promtion" stays "promtion" while "promotion" becomes "promot"). One small index per
 * first letter: people seldom mistype the first one, and it keeps correction cheap.
 */
function spellingIndexes(words: Iterable<string>): Map<string, MiniSearch<{ id: number; word: string }>> {
  const indexes = new Map<string, MiniSearch<{ id: number; word: string }>>();
  for (const word of words) {
    const first = word.charAt(0);
    let index = indexes.get(first);
    if (!index) {
      index = new MiniSearch<{ id: number; word: string }>({
        fields: ["word"],
        storeFields: ["word"],
        tokenize: (text) => [text],
        processTerm: (text) => text,
      });
      indexes.set(first, index);
    }
    index.add({ id: index.documentCount, word });
  }
  return indexes;
}
