import { type Article, type Library, type Section, sectionKey } from "../content/types.js";
import { termOf, tokenize } from "../match/terms.js";

/**
 * What `content check` teaches an owner (issue 18, item 4): things that load fine but answer badly,
 * each with what to do. Measured causes: the matcher's priors follow example counts, and words that
 * one article's labels share with another go to whichever has more examples.
 */
export interface Advice {
  /** The article file it is about. */
  readonly file: string;
  readonly message: string;
}

/** Fewer examples than this is thin whatever the neighbours have. */
export const MIN_EXAMPLES = 5;
/** A section with less than this share of the library's median examples a section is thin. */
export const THIN_SHARE = 1 / 4;
/** A word in at least this many of an article's headings, aliases and title is one of its words. */
const SPECIAL_MIN_LABELS = 3;
/** How many of an article's special words to check for off-topic examples. */
const SPECIAL_WORDS = 8;

export function contentAdvice(library: Library): Advice[] {
  return [...thinSections(library), ...aliasCollisions(library), ...missingNearMisses(library)];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Sections with far fewer examples than the library's others: fewer than 5, or under a quarter of the median. */
export function thinSections(library: Library): Advice[] {
  const counts = new Map<string, number>(library.sections.map((s) => [sectionKey(s), 0]));
  for (const example of library.examples) {
    if (example.section !== null) counts.set(example.section, (counts.get(example.section) ?? 0) + 1);
  }
  const typical = median([...counts.values()]);
  const floor = Math.max(MIN_EXAMPLES, Math.floor(typical * THIN_SHARE));
  const advice: Advice[] = [];
  for (const article of library.articles) {
    const thin = article.sections.filter((s) => (counts.get(sectionKey(s)) ?? 0) < floor);
    if (thin.length === 0) continue;
    const listed = thin.map((s) => `#${s.id} ${counts.get(sectionKey(s)) ?? 0}`).join(", ");
    advice.push({
      file: article.file,
      message:
        `${thin.length === article.sections.length ? "every section has" : `${thin.length} section(s) have`} far fewer examples ` +
        `than the library's median of ${typical} a section (${listed}): the matcher favours sections it has more examples of, ` +
        `so these lose questions to other sections. Add questions people would ask, worded their way, to examples.jsonl ` +
        `until each has at least ${floor}.`,
    });
  }
  return advice;
}

/** A phrase as the matcher reads it: its meaningful words' terms, in order. */
function phraseKey(text: string): string {
  return tokenize(text)
    .map(termOf)
    .filter((t): t is string => t !== null)
    .join(" ");
}

/** Aliases that read the same as another article's alias, heading or title. */
export function aliasCollisions(library: Library): Advice[] {
  const owners = new Map<string, { article: Article; what: string }[]>();
  const note = (key: string, article: Article, what: string) => {
    if (key === "") return;
    owners.set(key, [...(owners.get(key) ?? []), { article, what }]);
  };
  for (const article of library.articles) {
    note(phraseKey(article.title), article, `its title "${article.title}"`);
    for (const section of article.sections) {
      note(phraseKey(section.heading), article, `the heading of #${section.id}`);
      for (const alias of section.aliases) note(phraseKey(alias), article, `an alias of #${section.id}`);
    }
  }
  const advice: Advice[] = [];
  for (const article of library.articles) {
    for (const section of article.sections) {
      for (const alias of section.aliases) {
        const others = (owners.get(phraseKey(alias)) ?? []).filter((o) => o.article.slug !== article.slug);
        const first = others[0];
        if (!first) continue;
        advice.push({
          file: article.file,
          message:
            `alias "${alias}" of #${section.id} reads the same as ${first.what} in ${first.article.file}: ` +
            "a question in those words cannot tell the two apart. Reword the alias to say what only this section is about, or remove it.",
        });
      }
    }
  }
  return advice;
}

function terms(text: string): Set<string> {
  return new Set(
    tokenize(text)
      .map(termOf)
      .filter((t): t is string => t !== null && !t.startsWith("#")),
  );
}

/**
 * The words an article is known by: in at least three of its headings, aliases and title, and in
 * no other article's text. Most frequent first; the word as written most often stands for its term.
 */
export function specialWords(library: Library, article: Article): string[] {
  const labels = [article.title, ...article.sections.flatMap((s) => [s.heading, ...s.aliases])];
  const count = new Map<string, number>();
  const spelling = new Map<string, string>();
  for (const label of labels) {
    for (const word of tokenize(label)) {
      const term = termOf(word);
      if (term !== null && !spelling.has(term)) spelling.set(term, word);
    }
    for (const term of terms(label)) count.set(term, (count.get(term) ?? 0) + 1);
  }
  const elsewhere = new Set(
    library.sections
      .filter((s) => s.article !== article.slug)
      .flatMap((s: Section) => [...terms(`${s.heading} ${s.plain} ${s.aliases.join(" ")}`)]),
  );
  return [...count]
    .filter(([term, n]) => n >= SPECIAL_MIN_LABELS && !elsewhere.has(term))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, SPECIAL_WORDS)
    .map(([term]) => spelling.get(term) ?? term);
}

/** Articles whose own words appear in no off-topic (null) example. */
export function missingNearMisses(library: Library): Advice[] {
  const offTopic = library.examples.filter((e) => e.section === null).map((e) => terms(e.question));
  const advice: Advice[] = [];
  for (const article of library.articles) {
    const missing = specialWords(library, article).filter((word) => {
      const term = termOf(word) as string;
      return !offTopic.some((question) => question.has(term));
    });
    if (missing.length === 0) continue;
    advice.push({
      file: article.file,
      message:
        `no off-topic example uses this article's own words ${missing.map((w) => `"${w}"`).join(", ")}: without them, ` +
        `any question with these words is answered from this article. Add a few questions that use them in another sense to examples.jsonl ` +
        `with "section": null (e.g. {"question": "...${missing[0]}...", "section": null}).`,
    });
  }
  return advice;
}
