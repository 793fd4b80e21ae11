import type { Library, Section } from "../content/types.js";
import { sectionKey } from "../content/types.js";
import type { Classifier } from "./classifier.js";
import { ContentEvidence } from "./content-evidence.js";
import { type FeatureContext, isShapeFeature, questionFeatures, type Term } from "./features.js";
import { cleanQuestion } from "./question.js";
import { type SearchHit, SectionSearch } from "./search.js";
import { MIN_CORRECTED_LENGTH, Spelling } from "./spelling.js";
import { KNOWN_SPELLINGS, termOf, tokenize } from "./terms.js";
import { examplesPerSection, type TrainedModel, trainModel } from "./training.js";

export type { TrainedModel } from "./training.js";

/**
 * How the matcher decides (the design note is docs/matching.md):
 *
 * 1. The question is cleaned of Slack markup and cut into terms: stemmed, synonyms mapped, typos
 *    corrected towards the content's own words.
 * 2. A softmax classifier scores every section plus "no guidance". It learns, each time content
 *    loads, from the sections (heading, summary, aliases, sentences) and the labelled questions in
 *    `content/examples.jsonl`, over word, word-pair, level-name and unknown-word features.
 * 3. The best section answers when its confidence against "no guidance" reaches `minConfidence`
 *    and a word of the question supports it; runners-up with at least `alternativeShare` of its
 *    share of the evidence are offered as alternatives. Below `minConfidence`, down to
 *    `closestConfidence`, it is given as the closest guidance, with an alternative (`choose`).
 *
 * Libraries too large to train on at load (over MAX_CLASSIFIED_SECTIONS sections) are ranked by
 * BM25 search alone (`SectionSearch`).
 *
 * Every number in `DEFAULT_MATCHER_OPTIONS` was chosen by 5-fold cross-validation on the tuning
 * questions (`npm run eval -- --tune`); the held-out questions were never used to choose them.
 */
export interface MatcherOptions {
  /** Least confidence (0-1, against no guidance) the best section needs to answer. */
  minConfidence?: number;
  /**
   * Least confidence for a "closest guidance" answer: the best section is offered as the nearest
   * the article comes, with an alternative. At or above `minConfidence` it never applies.
   */
  closestConfidence?: number;
  /** A runner-up is an alternative when its share of the evidence is at least this part of the best's. */
  alternativeShare?: number;
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
  /** Log-evidence for a section per share of the question its own text covers (`ContentEvidence`). */
  sectionCoverWeight?: number;
  /** Log-evidence for a section per share of the question its article covers. */
  articleCoverWeight?: number;
  /**
   * How many examples a section needs before the content's own words count half as much in telling
   * it from the other sections of its article: well-asked sections are judged by what was learned.
   */
  coverExamples?: number;
  /**
   * How far (0-1) training evens out articles: each article's texts and examples are weighted by
   * (the best-known article's total / this article's total) to this power.
   */
  articleBalance?: number;
  /**
   * How far (0-1) each section's learned prior is moved to the sections' mean: a section with few
   * examples otherwise starts far behind those people asked about most.
   */
  priorCorrection?: number;
  /**
   * Log-evidence a section gains against no guidance, and against the other sections of its
   * article, per unit of its `coverExamples` / (`coverExamples` + its examples): 1 with no examples,
   * near 0 with hundreds. A section learned from a handful of texts is under-confident (its
   * weights are small where well-asked sections' are large), so its questions fell to no guidance.
   * Its article's share against other articles is left as it was: lifting that let a new article
   * take the seed article's questions.
   */
  fewExamplesLift?: number;
}

export const DEFAULT_MATCHER_OPTIONS: Required<MatcherOptions> = {
  minConfidence: 0.9,
  closestConfidence: 0.35,
  alternativeShare: 0.3,
  l2: 3e-4,
  epochs: 20,
  learningRate: 4,
  textWeight: 0.5,
  fuzzy: 0.2,
  overviewWhenOneLevel: 0.2,
  sectionCoverWeight: 5,
  coverExamples: 20,
  articleCoverWeight: 2,
  articleBalance: 0.5,
  priorCorrection: 1,
  fewExamplesLift: 1,
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

/** How sure an answer is: `high` answers the question; `closest` is the nearest the article comes. */
export type Confidence = "high" | "closest";

/** The answer to a question: the best section and any close runners-up, best first (at most 2). */
export interface Decision {
  readonly best: Match;
  readonly alternatives: readonly Match[];
  readonly confidence: Confidence;
}

const MAX_ALTERNATIVES = 2;
/** Above this many sections the classifier is not trained: its cost grows with sections squared. */
const MAX_CLASSIFIED_SECTIONS = 100;
/** Search-only ranking: a search score of this much reads as a confidence of 0.5. */
const HALF_CONFIDENCE_SCORE = 3.5;

/** Ranks sections for free-text questions. Build once per content load; matching is synchronous. */
export class Matcher {
  readonly options: Required<MatcherOptions>;
  readonly sections: readonly Section[];
  /** Terms of the sections' own text, headings and aliases: what typos are corrected towards. */
  private readonly contentWords: ReadonlySet<string>;
  private readonly spelling: Spelling;
  /** The trained classifier, or null for a library ranked by search alone. */
  readonly model: TrainedModel | null = null;
  private readonly context: FeatureContext | null = null;
  private readonly searcher: SectionSearch | null = null;
  /** Evidence from the content's own words; null for a library ranked by search alone. */
  private readonly evidence: ContentEvidence | null = null;
  /** Per section, the log-factor that moves its learned prior towards the sections' mean. */
  private readonly priorShift: Float64Array;
  /** Per section, how much the content's own words count: the fewer its examples, the more. */
  private readonly coverScale: Float64Array;
  /** Per section, its log-lift for having few examples (`fewExamplesLift` × its cover scale). */
  private readonly lift: Float64Array;

  /**
   * Learns from the library's sections and its labelled examples (`content/examples.jsonl`), or
   * takes `trained`, a model trained earlier on the same library and options (see model-cache.ts).
   */
  constructor(
    library: Pick<Library, "sections" | "examples">,
    options: MatcherOptions = {},
    trained?: TrainedModel,
  ) {
    this.sections = library.sections;
    this.options = { ...DEFAULT_MATCHER_OPTIONS, ...options };
    // Example questions are people's own words, typos included: they must not become words that
    // typos are corrected to, nor stop a typo from being corrected. Only the content's words do.
    let words: Set<string>;
    if (this.sections.length > MAX_CLASSIFIED_SECTIONS) {
      this.searcher = new SectionSearch(this.sections);
      this.contentWords = new Set(this.searcher.documentFrequency.keys());
      words = this.searcher.words;
    } else {
      words = new Set(
        this.sections.flatMap((s) => tokenize(`${s.heading} ${s.summary} ${s.plain} ${s.aliases.join(" ")}`)),
      );
      this.contentWords = new Set([...words].map(termOf).filter((term): term is string => term !== null));
    }
    this.spelling = new Spelling([...KNOWN_SPELLINGS, ...words], this.options.fuzzy);
    if (!this.searcher) {
      this.model =
        trained ?? trainModel(this.sections, library.examples, this.options, (text) => this.terms(text));
      const { known, levels } = this.model;
      this.context = { known: (term) => known.has(term), levelOf: (term) => levels.get(term) };
    }
    this.priorShift = new Float64Array(this.sections.length);
    const examplesOf = this.model?.examplesPerSection ?? examplesPerSection(library.examples);
    const k = this.options.coverExamples;
    this.coverScale = Float64Array.from(this.sections, (section) => {
      const n = examplesOf.get(sectionKey(section)) ?? 0;
      return k / (k + n);
    });
    this.lift = this.coverScale.map((scale) => this.options.fewExamplesLift * scale);
    if (this.model) {
      this.evidence = new ContentEvidence(this.sections, (text) => this.terms(text));
      const bias = this.model.classifier.biases().slice(0, this.sections.length);
      const mean = bias.reduce((sum, b) => sum + b, 0) / Math.max(1, bias.length);
      bias.forEach((b, index) => {
        this.priorShift[index] = this.options.priorCorrection * (mean - b);
      });
    }
  }

  /** The question's meaningful words with their terms, typos corrected towards the content's words. */
  private terms(text: string): Term[] {
    const terms: Term[] = [];
    for (const word of tokenize(cleanQuestion(text))) {
      let term = termOf(word);
      if (term !== null && !this.contentWords.has(term) && word.length >= MIN_CORRECTED_LENGTH) {
        term = this.spelling.correct(word) ?? term;
      }
      if (term !== null) terms.push({ word, term });
    }
    return terms;
  }

  /** Sections for a question, best first, including those below the off-topic threshold. */
  rank(question: string, limit = 3): Match[] {
    const terms = this.terms(question);
    if (terms.length === 0) return [];
    if (!this.model || !this.context) return this.rankBySearch(terms, limit);
    const { classifier } = this.model;
    const { values, words } = questionFeatures(terms, this.context);
    const probabilities = classifier.probabilities(values);
    // Confidence weighs each section against "no guidance" (the last class); the share weighs it
    // against the other sections, which is what makes an alternative.
    const noGuidance = probabilities[this.sections.length] as number;
    // A question that names one level is about that level: an overview answers it only when
    // nothing else comes close.
    let namesOneLevel = false;
    for (const feature of words.keys()) {
      if (feature.startsWith("level:") && feature !== "level:several") namesOneLevel = true;
    }
    const learned = Float64Array.from(this.sections, (_, index) => {
      return (probabilities[index] as number) * Math.exp(this.priorShift[index] as number);
    });
    const weights = (this.evidence as ContentEvidence).reweigh(learned, terms, {
      section: this.options.sectionCoverWeight,
      article: this.options.articleCoverWeight,
      scale: this.coverScale,
      lift: this.lift,
    });
    const scored = this.sections.map((section, index) => {
      let weight = weights[index] as number;
      if (namesOneLevel && section.role === "overview") weight *= this.options.overviewWhenOneLevel;
      return { index, section, weight };
    });
    const total = scored.reduce((sum, s) => sum + s.weight, 0);
    const top = scored.sort((a, b) => b.weight - a.weight).slice(0, limit);
    const reasons = explain(
      words,
      top.map((s) => s.index),
      classifier,
    );
    return top.map(({ index, section, weight }, rank) => {
      const lifted = weight * Math.exp(this.lift[index] as number);
      return {
        section,
        score: lifted / (lifted + noGuidance),
        share: weight / total,
        words: reasons[rank] as string[],
      };
    });
  }

  /** Large libraries: the search score alone, read as a confidence. */
  private rankBySearch(terms: readonly Term[], limit: number): Match[] {
    const hits: Map<number, SearchHit> = this.searcher?.search(terms) ?? new Map();
    let total = 0;
    for (const hit of hits.values()) total += hit.score;
    return [...hits]
      .sort((a, b) => b[1].score - a[1].score)
      .slice(0, limit)
      .map(([index, { score, words }]) => ({
        section: this.sections[index] as Section,
        score: score / (score + HALF_CONFIDENCE_SCORE),
        share: score / total,
        words,
      }));
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
 * The decision rule, shared with the evaluation so both always agree. The best-ranked section needs
 * at least one of the question's words supporting it (an answer must be able to say why):
 * - confidence ≥ `minConfidence`: a `high` answer; runners-up with at least `alternativeShare` of
 *   its share, and supported by words too, are its alternatives;
 * - confidence ≥ `closestConfidence`: a `closest` answer, with the same alternatives, except that
 *   the first runner-up with supporting words is always among them: an unsure answer owes the
 *   person the next best guess;
 * - otherwise no answer.
 */
export function choose<T extends { score: number; share: number; words: readonly string[] }>(
  ranking: readonly T[],
  options: Pick<Required<MatcherOptions>, "minConfidence" | "alternativeShare" | "closestConfidence">,
): { best: T; alternatives: T[]; confidence: Confidence } | null {
  const [best, ...rest] = ranking;
  if (!best || best.words.length === 0) return null;
  const confidence: Confidence | null =
    best.score >= options.minConfidence ? "high" : best.score >= options.closestConfidence ? "closest" : null;
  if (confidence === null) return null;
  const floor = best.share * options.alternativeShare;
  const alternatives = rest
    .slice(0, MAX_ALTERNATIVES)
    .filter((match) => match.share >= floor && match.words.length > 0);
  const next = rest.find((match) => match.words.length > 0);
  if (confidence === "closest" && next && !alternatives.includes(next)) {
    alternatives.unshift(next);
    alternatives.length = Math.min(alternatives.length, MAX_ALTERNATIVES);
  }
  return { best, alternatives, confidence };
}

/**
 * For each of the `sections` (class indices), the typed words whose features pull towards it,
 * strongest first. Each feature is looked up once for all of them.
 */
function explain(
  words: ReadonlyMap<string, readonly string[]>,
  sections: readonly number[],
  classifier: Classifier,
): string[][] {
  const strengths = sections.map(() => new Map<string, number>());
  const pulls = new Float64Array(sections.length);
  for (const [feature, typed] of words) {
    if (isShapeFeature(feature) || !classifier.pullsInto(feature, sections, pulls)) continue;
    strengths.forEach((strength, i) => {
      const value = pulls[i] as number;
      if (value <= 0) return;
      for (const word of typed) strength.set(word, Math.max(strength.get(word) ?? 0, value));
    });
  }
  return strengths.map((strength) => [...strength].sort((a, b) => b[1] - a[1]).map(([word]) => word));
}
