import type { ArticleQuestion, ArticleQuestions } from "../content/questions.js";
import { type Article, sectionKey } from "../content/types.js";
import { type Evaluation, evaluate, type Predicted, ratio, type Score } from "./evaluate.js";
import type { Matcher } from "./matcher.js";

/**
 * Each article measured on its own questions file (issue 18, item 3): what `npm run eval` prints
 * after its tables and what the playground's Content tab shows, from this one function.
 */

export interface ArticleScore {
  readonly slug: string;
  readonly title: string;
  /** The questions file read, or where to put one (relative to the content folder). */
  readonly questionsFile: string;
  /** False when the article has no questions file yet. */
  readonly measured: boolean;
  readonly count: number;
  /** In-scope questions: top-1 right. */
  readonly inScope: Score;
  /** In-scope questions: top-1 or the first alternative right. */
  readonly inScopeOrAlternative: Score;
  /** Off-topic questions: "no guidance". */
  readonly offTopic: Score;
  /** In-scope questions answered from another article: the sign of words another article owns. */
  readonly fromOtherArticles: number;
}

/** What the matcher answers to each question, sections named `<article>#<id>` so ids may repeat across articles. */
export function keyPredictions(matcher: Matcher, questions: readonly ArticleQuestion[]): Predicted[] {
  return questions.map((q) => {
    const decision = matcher.decide(q.question);
    return {
      question: { question: q.question, section: q.section, split: "holdout" },
      prediction: decision
        ? {
            section: sectionKey(decision.best.section),
            alternatives: decision.alternatives.map((m) => sectionKey(m.section)),
          }
        : { section: null, alternatives: [] },
    };
  });
}

/** Scores one article's questions; the evaluation keeps misses for whoever may read them. */
export function scoreQuestions(
  matcher: Matcher,
  slug: string,
  questions: readonly ArticleQuestion[],
): { evaluation: Evaluation; fromOtherArticles: number } {
  const predicted = keyPredictions(matcher, questions);
  const fromOtherArticles = predicted.filter(
    ({ question, prediction }) =>
      question.section !== null && prediction.section !== null && !prediction.section.startsWith(`${slug}#`),
  ).length;
  return { evaluation: evaluate(predicted), fromOtherArticles };
}

/** One row an article, in library order; articles without a questions file say where one goes. */
export function articleScores(
  matcher: Matcher,
  articles: readonly Pick<Article, "slug" | "title">[],
  questionsOf: (slug: string) => ArticleQuestions | { file: string; questions: null },
): ArticleScore[] {
  return articles.map((article) => {
    const found = questionsOf(article.slug);
    const empty = { correct: 0, total: 0 };
    if (found.questions === null || found.questions.length === 0) {
      return {
        slug: article.slug,
        title: article.title,
        questionsFile: found.file,
        measured: false,
        count: 0,
        inScope: empty,
        inScopeOrAlternative: empty,
        offTopic: empty,
        fromOtherArticles: 0,
      };
    }
    const { evaluation, fromOtherArticles } = scoreQuestions(matcher, article.slug, found.questions);
    return {
      slug: article.slug,
      title: article.title,
      questionsFile: found.file,
      measured: true,
      count: found.questions.length,
      inScope: evaluation.inScope,
      inScopeOrAlternative: evaluation.inScopeOrAlternative,
      offTopic: evaluation.offTopic,
      fromOtherArticles,
    };
  });
}

/** "92.5% (37/40)", or "-" when there is nothing to count. */
export function percent(score: Score): string {
  return score.total > 0 ? `${(ratio(score) * 100).toFixed(1)}% (${score.correct}/${score.total})` : "-";
}

/** What an owner does to measure an article that has no questions yet. */
export function measureHint(score: Pick<ArticleScore, "questionsFile">, contentDir = "content"): string {
  return `no questions yet: add ${contentDir}/${score.questionsFile} to measure this article`;
}

export const ARTICLE_TABLE_COLUMNS = [
  "article",
  "questions",
  "top-1",
  "top-1 or first alternative",
  'off-topic: "no guidance"',
  "answered from another article",
] as const;

/** The cells of one row, as text: the same in the terminal and on the playground. */
export function articleRow(score: ArticleScore, contentDir = "content"): string[] {
  if (!score.measured) return [score.slug, measureHint(score, contentDir), "", "", "", ""];
  return [
    score.slug,
    `${score.count} (${score.questionsFile})`,
    percent(score.inScope),
    percent(score.inScopeOrAlternative),
    percent(score.offTopic),
    String(score.fromOtherArticles),
  ];
}

/** The per-article table as Markdown, for `npm run eval`. */
export function articleTable(scores: readonly ArticleScore[], contentDir = "content"): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(ARTICLE_TABLE_COLUMNS),
    line(ARTICLE_TABLE_COLUMNS.map(() => "---")),
    ...scores.map((score) => line(articleRow(score, contentDir))),
  ].join("\n");
}
