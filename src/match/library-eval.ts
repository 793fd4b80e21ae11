import type { ArticleQuestion } from "../content/questions.js";
import type { Article, Example, Library, Section } from "../content/types.js";
import { scoreQuestions } from "./article-eval.js";
import type { LabelledQuestion, Score } from "./evaluate.js";
import { Matcher, type MatcherOptions } from "./matcher.js";

/**
 * Leave-one-article-out evaluation (`npm run eval -- --library`, issue 18 item 2): a test article
 * the matcher has never been fed, added to the real content, answered with no examples of its own
 * and with its examples file; the seed article's held-out questions measured in the same library.
 */

/** A test article with its examples (10 a section) and the questions that measure it. */
export interface TestArticle {
  readonly article: Article;
  readonly examples: readonly Example[];
  readonly questions: readonly ArticleQuestion[];
}

/** Top-1, top-1 or first alternative, off-topic declined, and in-scope answers from elsewhere. */
export interface Figures {
  readonly inScope: Score;
  readonly inScopeOrAlternative: Score;
  readonly offTopic: Score;
  readonly fromOtherArticles: number;
}

export interface ArticleRun {
  readonly slug: string;
  /** How many of the article's examples the matcher learnt from (0, or its examples file). */
  readonly examples: number;
  readonly article: Figures;
  /** The seed article's held-out questions in the same library. */
  readonly seed: Figures;
  /** Whether the matcher was a trained classifier or (large libraries) search. */
  readonly kind: "classifier" | "search";
}

/** Seed questions (`section` a bare id) named `<article>#<id>`, as article questions are. */
export function seedQuestions(
  sections: readonly Section[],
  questions: readonly LabelledQuestion[],
): ArticleQuestion[] {
  const keys = new Map(sections.map((s) => [s.id, `${s.article}#${s.id}`]));
  return questions.map((q) => {
    const key = q.section === null ? null : keys.get(q.section);
    if (key === undefined) throw new Error(`no section has the id "${q.section}" (question: ${q.question})`);
    return { question: q.question, section: key };
  });
}

function figures(matcher: Matcher, slug: string, questions: readonly ArticleQuestion[]): Figures {
  const { evaluation, fromOtherArticles } = scoreQuestions(matcher, slug, questions);
  const { inScope, inScopeOrAlternative, offTopic } = evaluation;
  return { inScope, inScopeOrAlternative, offTopic, fromOtherArticles };
}

/** The article the seed questions are about: the one that owns the most of their sections. */
export function seedSlug(questions: readonly ArticleQuestion[]): string {
  const counts = new Map<string, number>();
  for (const q of questions) {
    const slug = q.section?.split("#")[0];
    if (slug) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

/**
 * Builds one matcher over `content` plus `extra` sections and examples, and scores the seed
 * questions and each of `tests` in it.
 */
export function runLibrary(
  content: Pick<Library, "sections" | "examples">,
  extra: { sections: readonly Section[]; examples: readonly Example[] },
  seed: readonly ArticleQuestion[],
  tests: readonly TestArticle[],
  options: MatcherOptions = {},
): { seed: Figures; articles: Figures[]; kind: ArticleRun["kind"] } {
  const matcher = new Matcher(
    {
      sections: [...content.sections, ...extra.sections],
      examples: [...content.examples, ...extra.examples],
    },
    options,
  );
  return {
    seed: figures(matcher, seedSlug(seed), seed),
    articles: tests.map((test) => figures(matcher, test.article.slug, test.questions)),
    kind: matcher.model ? "classifier" : "search",
  };
}

/** One test article added to the content, without and with its examples. */
export function leaveOneArticleOut(
  content: Pick<Library, "sections" | "examples" | "articles">,
  test: TestArticle,
  seed: readonly ArticleQuestion[],
  options: MatcherOptions = {},
): ArticleRun[] {
  if (content.articles.some((a) => a.slug === test.article.slug)) {
    throw new Error(`test article "${test.article.slug}" is already in the content; give it another slug`);
  }
  return [[] as readonly Example[], test.examples].map((examples) => {
    const run = runLibrary(content, { sections: test.article.sections, examples }, seed, [test], options);
    return {
      slug: test.article.slug,
      examples: examples.length,
      article: run.articles[0] as Figures,
      seed: run.seed,
      kind: run.kind,
    };
  });
}

const rate = (s: Score) => (s.total === 0 ? 0 : s.correct / s.total);

/** Mean over articles of each figure, and the article with the lowest top-1. */
export function summarize(runs: readonly ArticleRun[]): {
  mean: { inScope: number; inScopeOrAlternative: number; offTopic: number };
  worst: ArticleRun | null;
} {
  const mean = (pick: (r: ArticleRun) => Score) =>
    runs.length === 0 ? 0 : runs.reduce((sum, r) => sum + rate(pick(r)), 0) / runs.length;
  const worst = [...runs].sort((a, b) => rate(a.article.inScope) - rate(b.article.inScope))[0] ?? null;
  return {
    mean: {
      inScope: mean((r) => r.article.inScope),
      inScopeOrAlternative: mean((r) => r.article.inScopeOrAlternative),
      offTopic: mean((r) => r.article.offTopic),
    },
    worst,
  };
}
