import type { Example, Section } from "../content/types.js";
import { sectionKey } from "../content/types.js";
import { Classifier, type Example as TrainingExample } from "./classifier.js";
import { titleHolders } from "./content-evidence.js";
import { questionFeatures, type Term } from "./features.js";

/** The matcher's options that training reads (`MatcherOptions` documents each). */
export interface TrainingSettings {
  readonly l2: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly textWeight: number;
  readonly articleBalance: number;
}

/** What training produces: everything `rank` needs besides the content itself. */
export interface TrainedModel {
  readonly classifier: Classifier;
  /** Terms some in-scope text uses. */
  readonly known: ReadonlySet<string>;
  /** Terms that name a focus level. */
  readonly levels: ReadonlyMap<string, string>;
  /**
   * How many labelled examples each section (by `sectionKey`) was trained with: a model restored
   * from the cache brings them, so the examples need not be read again.
   */
  readonly examplesPerSection: ReadonlyMap<string, number>;
}

/**
 * Trains the classifier: one class per section, and one more (the last) for "no guidance". It learns
 * from each section's own words (its article's title, heading, summary, aliases, and its sentences at
 * `textWeight`) and from the labelled examples; `terms` is how the matcher reads any text.
 */
export function trainModel(
  sections: readonly Section[],
  examples: readonly Example[],
  options: TrainingSettings,
  terms: (text: string) => Term[],
): TrainedModel {
  const offTopic = sections.length;
  const classOf = new Map(sections.map((section, index) => [sectionKey(section), index]));
  const documents: { terms: Term[]; label: number; weight: number }[] = [];
  const learn = (text: string, label: number, weight: number) =>
    documents.push({ terms: terms(text), label, weight });
  const titled = titleHolders(sections);
  sections.forEach((section, index) => {
    if (titled.has(index) && section.articleTitle) learn(section.articleTitle, index, 1);
    learn(section.heading, index, 1);
    learn(section.summary, index, 1);
    for (const alias of section.aliases) learn(alias, index, 1);
    for (const sentence of sentences(section.plain)) learn(sentence, index, options.textWeight);
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
  for (const section of sections) {
    if (section.level) for (const { term } of terms(section.level)) levels.set(term, section.level);
  }
  const levelOf = (term: string) => levels.get(term);
  // Each article's texts and examples count as much as the best-known article's, so an article
  // nobody has written examples for yet is not drowned by one with thousands. A heavier text is
  // repeated rather than given a larger step, which keeps gradient descent stable.
  const articleWeight = new Map<string, number>();
  for (const { label, weight, terms } of documents) {
    const article = sections[label]?.article;
    if (article !== undefined && terms.length > 0)
      articleWeight.set(article, (articleWeight.get(article) ?? 0) + weight);
  }
  const heaviest = Math.max(0, ...articleWeight.values());
  const balance = options.articleBalance;
  const training: TrainingExample[] = documents
    .filter(({ terms }) => terms.length > 0)
    .flatMap(({ terms, label, weight }) => {
      const own = label === offTopic ? 0 : 1;
      const known = (term: string) => (inScope.get(term) ?? 0) - own >= 1;
      const features = questionFeatures(terms, { known, levelOf }).values;
      const article = sections[label]?.article;
      const factor =
        article === undefined ? 1 : (heaviest / (articleWeight.get(article) ?? heaviest)) ** balance;
      const copies = Math.max(1, Math.round(factor));
      return Array.from({ length: copies }, () => ({
        features,
        label,
        weight: (weight * factor) / copies,
      }));
    });
  const { l2, epochs, learningRate } = options;
  return {
    classifier: Classifier.train(sections.length + 1, training, { l2, epochs, learningRate }),
    known: new Set(inScope.keys()),
    levels,
    examplesPerSection: examplesPerSection(examples),
  };
}

/** How many of the examples each section answers, by `sectionKey`. */
export function examplesPerSection(examples: readonly Example[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const example of examples) {
    if (example.section !== null) counts.set(example.section, (counts.get(example.section) ?? 0) + 1);
  }
  return counts;
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.trim() !== "");
}
