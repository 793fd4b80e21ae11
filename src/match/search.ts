import MiniSearch from "minisearch";
import type { Section } from "../content/types.js";
import type { Term } from "./features.js";
import { termOf, tokenize } from "./terms.js";

/** A section found by search: its score and the typed words it matched. */
export interface SearchHit {
  score: number;
  words: string[];
}

const ALIAS_BOOST = 2;
/** Terms found in more than this share of sections are left out of questions. */
const COMMON_TERM_SHARE = 0.01;
const FEWEST_TERMS_KEPT = 2;

/**
 * BM25 search over sections (MiniSearch), with aliases weighted ×2: how the matcher ranks a library
 * too large to train a classifier on. The score is relevance × the share of the question's terms the
 * section matches, so one stray shared word cannot carry a question about something else.
 */
export class SectionSearch {
  private readonly index: MiniSearch<{ id: number; heading: string; text: string; aliases: string }>;
  /** Sections each term appears in. */
  readonly documentFrequency = new Map<string, number>();
  /** The content's words as written (lower case), for typo correction. */
  readonly words = new Set<string>();
  private readonly commonAbove: number;

  constructor(sections: readonly Section[]) {
    let termsOfSection = new Set<string>();
    this.index = new MiniSearch({
      fields: ["heading", "text", "aliases"],
      tokenize,
      processTerm: (word) => {
        const term = termOf(word);
        if (term === null) return false;
        termsOfSection.add(term);
        this.words.add(word); // tokenize has lower-cased it
        return term;
      },
    });
    sections.forEach((section, id) => {
      this.index.add({
        id,
        heading: section.heading,
        text: section.plain,
        aliases: section.aliases.join(" \n "),
      });
      for (const term of termsOfSection)
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      termsOfSection = new Set();
    });
    this.commonAbove = Math.max(1, sections.length * COMMON_TERM_SHARE);
  }

  /** Hits by section index. */
  search(terms: readonly Term[]): Map<number, SearchHit> {
    const df = (term: string) => this.documentFrequency.get(term) ?? 0;
    const all = [...new Set(terms.map((t) => t.term))];
    // A term found in many sections adds little to the ranking but makes every one of those
    // sections a candidate to score; a question of only such terms keeps its rarest.
    const rare = all.filter((term) => df(term) <= this.commonAbove);
    const unique = rare.length > 0 ? rare : all.sort((a, b) => df(a) - df(b)).slice(0, FEWEST_TERMS_KEPT);
    const results = this.index.search(unique.join(" "), {
      boost: { aliases: ALIAS_BOOST, heading: 1, text: 1 },
      combineWith: "OR",
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
}
