import type { Section } from "../content/types.js";
import type { Term } from "./features.js";

/**
 * How much of a question the library's own text covers, section by section and article by
 * article: evidence that does not depend on how many labelled examples a section has.
 *
 * The classifier learns from examples, so it knows best the sections people have asked about most,
 * and a new article with few or no examples hardly gets a word in: the words it shares with the
 * seed article ("team", "director", "promotion") were learned as the seed's. This evidence reads
 * each section's heading, summary, aliases and text, and its article's title, the same way for
 * every section, however many examples it has.
 *
 * Coverage is the share of the question's content words (weighted by how rare they are across
 * sections, so "engineer" counts less than "skip-level") that the section uses, with its text
 * counting half as much as what its author wrote to steer matching (heading, summary, aliases).
 */
export class ContentEvidence {
  /** For each section: term → how strongly it uses it (1 steering text, `TEXT_WEIGHT` body only). */
  private readonly sectionTerms: ReadonlyMap<string, number>[];
  /** For each section: the terms its whole article uses (title included). */
  private readonly articleTerms: ReadonlySet<string>[];
  private readonly rarity = new Map<string, number>();
  /** For each section, the index of its article; and how many articles there are. */
  private readonly articleOf: Int32Array;
  private readonly articles: number;

  constructor(sections: readonly Section[], terms: (text: string) => readonly Term[]) {
    const termsOf = (text: string) => new Set(terms(text).map((t) => t.term));
    const byArticle = new Map<string, Set<string>>();
    const titled = titleHolders(sections);
    this.sectionTerms = sections.map((section, index) => {
      const weights = new Map<string, number>();
      for (const term of termsOf(section.plain)) weights.set(term, TEXT_WEIGHT);
      const steering = [section.heading, section.summary, ...section.aliases];
      if (titled.has(index)) steering.push(section.articleTitle ?? "");
      for (const term of termsOf(steering.join("\n"))) weights.set(term, 1);
      let article = byArticle.get(section.article);
      if (!article) {
        article = termsOf(section.articleTitle ?? "");
        byArticle.set(section.article, article);
      }
      for (const term of weights.keys()) article.add(term);
      return weights;
    });
    this.articleTerms = sections.map((section) => byArticle.get(section.article) as Set<string>);
    const articleIndex = new Map([...byArticle.keys()].map((article, index) => [article, index]));
    this.articleOf = Int32Array.from(sections, (section) => articleIndex.get(section.article) as number);
    this.articles = articleIndex.size;
    const count = new Map<string, number>();
    for (const weights of this.sectionTerms) {
      for (const term of weights.keys()) count.set(term, (count.get(term) ?? 0) + 1);
    }
    for (const [term, n] of count) this.rarity.set(term, Math.log(1 + sections.length / n));
  }

  /**
   * For each section, in library order: the share (0-1) of the question's known words its own text
   * covers (`section`), and the share its article covers (`article`).
   */
  cover(question: readonly Term[]): { section: Float64Array; article: Float64Array } {
    const section = new Float64Array(this.sectionTerms.length);
    const article = new Float64Array(this.sectionTerms.length);
    // Only terms some section uses can cover anything: each is looked up once, not once a section.
    const used: string[] = [];
    const rarities: number[] = [];
    let total = 0;
    for (const term of new Set(question.map((t) => t.term))) {
      const rarity = this.rarity.get(term);
      if (rarity === undefined) continue;
      used.push(term);
      rarities.push(rarity);
      total += rarity;
    }
    if (total === 0) return { section, article };
    this.sectionTerms.forEach((weights, index) => {
      let covered = 0;
      let inArticle = 0;
      const articleTerms = this.articleTerms[index] as ReadonlySet<string>;
      for (let i = 0; i < used.length; i++) {
        const term = used[i] as string;
        const rarity = rarities[i] as number;
        covered += rarity * (weights.get(term) ?? 0);
        if (articleTerms.has(term)) inArticle += rarity;
      }
      section[index] = covered / total;
      article[index] = inArticle / total;
    });
    return { section, article };
  }

  /**
   * The sections' evidence (`learned`, in library order) moved by the question's coverage, without
   * changing their total against no guidance (what says whether the library has guidance at all):
   * - between articles, each article's share by how much of the question the article covers
   *   (`weights.article` per share covered);
   * - within an article, each section's by how much its own text covers (`weights.section`, times
   *   the section's `scale`: sections with many examples are judged by what was learned from them),
   *   and by its `lift` (a log-factor: sections with few examples against their well-asked siblings).
   * With one article the first step changes nothing; a section's evidence never moves to another
   * article because that article's section happens to use the question's words.
   */
  reweigh(
    learned: Float64Array,
    question: readonly Term[],
    weights: { section: number; article: number; scale: Float64Array; lift?: Float64Array },
  ): Float64Array {
    const { section: covered, article: articleCovered } = this.cover(question);
    const mass = new Float64Array(this.articles);
    const raised = new Float64Array(this.articles);
    const moved = Float64Array.from(learned, (value, index) => {
      const article = this.articleOf[index] as number;
      mass[article] = (mass[article] as number) + value;
      const within =
        value *
        Math.exp(
          weights.section * (weights.scale[index] as number) * (covered[index] as number) +
            (weights.lift?.[index] ?? 0),
        );
      raised[article] = (raised[article] as number) + within;
      return within;
    });
    // Every section of an article has the same article coverage: read it from the first.
    const articleFactor = new Float64Array(this.articles).fill(Number.NaN);
    learned.forEach((_, index) => {
      const article = this.articleOf[index] as number;
      if (Number.isNaN(articleFactor[article])) {
        articleFactor[article] = Math.exp(weights.article * (articleCovered[index] as number));
      }
    });
    let total = 0;
    let shifted = 0;
    const articleMass = mass.map((value, article) => {
      total += value;
      const raisedMass = value * (articleFactor[article] as number);
      shifted += raisedMass;
      return raisedMass;
    });
    return moved.map((value, index) => {
      const article = this.articleOf[index] as number;
      const share = (raised[article] as number) > 0 ? value / (raised[article] as number) : 0;
      return shifted > 0 ? (share * (articleMass[article] as number) * total) / shifted : value;
    });
  }
}

/** A word of a section's body counts this much against one its author chose to steer matching. */
const TEXT_WEIGHT = 0.5;

/**
 * The section of each article that its title describes: the article's overview (`role: overview`),
 * or its first section when it has none. "Summarise the staff roles article" asks for it.
 */
export function titleHolders(sections: readonly Section[]): Set<number> {
  const holders = new Map<string, number>();
  sections.forEach((section, index) => {
    const held = holders.get(section.article);
    const heldIsOverview = held !== undefined && sections[held]?.role === "overview";
    if (held === undefined || (section.role === "overview" && !heldIsOverview))
      holders.set(section.article, index);
  });
  return new Set(holders.values());
}
