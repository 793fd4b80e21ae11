import MiniSearch, { type SearchOptions } from "minisearch";
import type { Section } from "../content/types.js";
import { cleanQuestion } from "./question.js";
import { KNOWN_SPELLINGS, termOf, tokenize } from "./terms.js";

export interface MatcherOptions {
  /**
   * Least score a section needs to be given as an answer; below it the question is taken as
   * off-topic. The score is MiniSearch's relevance times the share of the question's words that
   * the section explains, so one stray shared word ("building", "level") cannot carry a question
   * about something else. Tuned on the tuning part of tests/fixtures/questions.jsonl.
   */
  minScore?: number;
  /** Weight of author-curated aliases against the article's own words. */
  aliasBoost?: number;
  /** Weight of a section's heading against its text. */
  headingBoost?: number;
  /** Edit distance allowed for typos, as a fraction of the word's length (words of 5+ letters). */
  fuzzy?: number;
}

export const DEFAULT_MATCHER_OPTIONS: Required<MatcherOptions> = {
  minScore: 3.5,
  aliasBoost: 2,
  headingBoost: 1,
  fuzzy: 0.2,
};

export interface Match {
  readonly section: Section;
  readonly score: number;
  /** The question's own words that led to this section, as the person typed them. */
  readonly words: readonly string[];
}

/** Collections this large drop their most common terms from questions (see `rank`). */
const LARGE_COLLECTION = 200;
const COMMON_TERM_SHARE = 0.01;
const FEWEST_TERMS_KEPT = 2;
/** Shorter words are not corrected: too many real words are one letter apart. */
const MIN_CORRECTED_LENGTH = 5;

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
  private readonly documentFrequency: ReadonlyMap<string, number>;
  /** Sections a term may appear in before it counts as too common to tell sections apart. */
  private readonly commonAbove: number;

  constructor(
    readonly sections: readonly Section[],
    options: MatcherOptions = {},
  ) {
    this.options = { ...DEFAULT_MATCHER_OPTIONS, ...options };
    // Document frequency of each term, gathered while indexing (one pass over the content).
    const documentFrequency = new Map<string, number>();
    const spellings = new Set<string>(KNOWN_SPELLINGS);
    let termsOfSection = new Set<string>();
    this.index = new MiniSearch<IndexedSection>({
      fields: ["heading", "text", "aliases"],
      tokenize,
      processTerm: (word) => {
        const term = termOf(word);
        if (term === null) return false;
        termsOfSection.add(term);
        if (word.length >= MIN_CORRECTED_LENGTH) spellings.add(word.toLowerCase());
        return term;
      },
    });
    sections.forEach((section, id) => {
      termsOfSection = new Set();
      this.index.add({
        id,
        heading: section.heading,
        text: section.plain,
        aliases: section.aliases.join(" \n "),
      });
      for (const term of termsOfSection) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    });
    this.documentFrequency = documentFrequency;
    this.commonAbove =
      sections.length >= LARGE_COLLECTION
        ? Math.max(1, sections.length * COMMON_TERM_SHARE)
        : Number.POSITIVE_INFINITY;
    const { aliasBoost, headingBoost } = this.options;
    this.searchOptions = {
      boost: { aliases: aliasBoost, heading: headingBoost, text: 1 },
      combineWith: "OR",
    };
    // Typos are corrected word by word against the words the content uses, before stemming: a typo
    // usually stops the stemmer ("promtion" stays "promtion" while "promotion" becomes "promot"),
    // so fuzzy search over stems misses the very words people mistype.
    // One small index per first letter: people seldom mistype the first one, and searching a
    // letter's words instead of the whole vocabulary keeps correction cheap on large content.
    this.spelling = new Map();
    for (const word of spellings) {
      const first = word.charAt(0);
      let index = this.spelling.get(first);
      if (!index) {
        index = new MiniSearch<{ id: number; word: string }>({
          fields: ["word"],
          storeFields: ["word"],
          tokenize: (text) => [text],
          processTerm: (text) => text,
        });
        this.spelling.set(first, index);
      }
      index.add({ id: index.documentCount, word });
    }
  }

  /** Sections for a question, best first, including those below the off-topic threshold. */
  rank(question: string, limit = 3): Match[] {
    const words = tokenize(cleanQuestion(question));
    const all = new Map<string, string>();
    for (const word of words) {
      let term = termOf(word);
      if (term !== null && !this.documentFrequency.has(term) && word.length >= MIN_CORRECTED_LENGTH) {
        term = this.correct(word) ?? term;
      }
      if (term !== null && !all.has(term)) all.set(term, word);
    }
    // In a large collection a term found in many sections adds little to the ranking but makes
    // every one of those sections a candidate to score, so it is left out of the question; a
    // question made only of common terms keeps its rarest few.
    const df = (term: string) => this.documentFrequency.get(term) ?? 0;
    const rare = [...all].filter(([term]) => df(term) <= this.commonAbove);
    const original = new Map(
      rare.length > 0 ? rare : [...all].sort(([a], [b]) => df(a) - df(b)).slice(0, FEWEST_TERMS_KEPT),
    );
    if (original.size === 0) return [];
    const results = this.index.search([...original.keys()].join(" "), {
      ...this.searchOptions,
      tokenize: (text) => text.split(" "),
      processTerm: (term) => term,
    });
    return results
      .map((result) => ({
        section: this.sections[result.id as number] as Section,
        score: (result.score * result.queryTerms.length) / original.size,
        words: result.queryTerms.map((term) => original.get(term) ?? term),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /** The term of the content word closest to a misspelled one, if any is close enough. */
  private correct(word: string): string | null {
    const lower = word.toLowerCase();
    const [closest] = this.spelling.get(lower.charAt(0))?.search(lower, { fuzzy: this.options.fuzzy }) ?? [];
    return closest ? termOf(closest.word as string) : null;
  }

  /** The section that answers the question, or null when none fits well enough. */
  best(question: string): Match | null {
    const [top] = this.rank(question, 1);
    return top && top.score >= this.options.minScore ? top : null;
  }
}
