/**
 * `npm run eval -- --library`: each test article of tests/library/ (or LIBRARY_DIR) added to the
 * real content, matched with none and with all of its examples (`<slug>.examples.jsonl`), scored on
 * its questions (`<slug>.questions.jsonl`), the seed article's written held-out figures beside it;
 * then the mean and the worst article, and a generated library on each side of the matcher's
 * switch from a trained classifier to search. Held-out misses are never printed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateContent } from "../bench/generate-content.js";
import { ContentError } from "../src/content/errors.js";
import { parseExamples } from "../src/content/examples.js";
import { loadLibrary, parseArticle } from "../src/content/load.js";
import { loadArticleQuestions } from "../src/content/questions.js";
import type { Library, Section } from "../src/content/types.js";
import { percent } from "../src/match/article-eval.js";
import type { LabelledQuestion } from "../src/match/evaluate.js";
import {
  type ArticleRun,
  type Figures,
  leaveOneArticleOut,
  runLibrary,
  seedQuestions,
  summarize,
  type TestArticle,
} from "../src/match/library-eval.js";

/** Sections at which the matcher stops training a classifier today (MAX_CLASSIFIED_SECTIONS). */
const SWITCH_SIZES = [100, 101];

/** The test articles of `dir`; one without a questions file, or that does not load, is named, not measured. */
export function readTestArticles(dir: string): { tests: TestArticle[]; unmeasured: string[] } {
  const tests: TestArticle[] = [];
  const unmeasured: string[] = [];
  // A test article is `<x>.md` beside its `<x>.examples.jsonl` or `<x>.questions.jsonl`; other
  // Markdown there (a README, the writers' brief) is about the articles.
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const files = names.filter(
    (f) =>
      f.endsWith(".md") &&
      [".examples.jsonl", ".questions.jsonl"].some((end) => names.includes(f.replace(/\.md$/, end))),
  );
  for (const file of files.sort()) {
    try {
      const test = readTestArticle(dir, file);
      if ("unmeasured" in test) unmeasured.push(test.unmeasured);
      else tests.push(test);
    } catch (error) {
      // A test article being written may not load yet: say why and measure the others.
      if (!(error instanceof ContentError)) throw error;
      unmeasured.push(`${file}: ${error.reason}`);
    }
  }
  return { tests, unmeasured };
}

function readTestArticle(dir: string, file: string): TestArticle | { unmeasured: string } {
  {
    const article = parseArticle(file, readFileSync(join(dir, file), "utf8"), { baseUrl: null });
    const base = file.replace(/\.md$/, "");
    const examplesFile = [`${article.slug}.examples.jsonl`, `${base}.examples.jsonl`].find((f) =>
      existsSync(join(dir, f)),
    );
    const examples = examplesFile
      ? parseExamples(examplesFile, readFileSync(join(dir, examplesFile), "utf8"), article.sections)
      : [];
    const questions = loadArticleQuestions(dir, article);
    if (!questions || questions.questions.length === 0) {
      return {
        unmeasured: `${article.slug}: add ${join(dir, `${article.slug}.questions.jsonl`)} to measure it`,
      };
    }
    return { article, examples, questions: questions.questions };
  }
}

const cells = (f: Figures) => [
  percent(f.inScope),
  percent(f.inScopeOrAlternative),
  percent(f.offTopic),
  String(f.fromOtherArticles),
];
const row = (values: readonly string[]) => console.log(`| ${values.join(" | ")} |`);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

export function evaluateLibrary(content: Library, seedHoldout: readonly LabelledQuestion[]): void {
  const dir = process.env.LIBRARY_DIR ?? "tests/library";
  const started = performance.now();
  const seed = seedQuestions(content.sections, seedHoldout);
  const { tests, unmeasured } = readTestArticles(dir);
  console.log(`## Library: each test article of ${dir} added to the content (leave one article out)\n`);
  for (const line of unmeasured) console.log(`not measured: ${line}`);
  const alone = runLibrary(content, { sections: [], examples: [] }, seed, []);
  console.log(
    `seed article's written held-out questions (${seed.length}), content alone: top-1 ${percent(alone.seed.inScope)}, ` +
      `top-1 or first alternative ${percent(alone.seed.inScopeOrAlternative)}, off-topic declined ${percent(alone.seed.offTopic)}\n`,
  );
  row([
    "test article",
    "its examples",
    "top-1",
    "top-1 or first alternative",
    "off-topic declined",
    "in scope, answered from another article",
    "seed held out: top-1",
    "seed: top-1 or first alternative",
    "seed: off-topic declined",
  ]);
  row(Array(9).fill("---"));
  const runs: ArticleRun[] = [];
  for (const test of tests) {
    for (const run of leaveOneArticleOut(content, test, seed)) {
      runs.push(run);
      row([run.slug, String(run.examples), ...cells(run.article), ...cells(run.seed).slice(0, 3)]);
    }
  }
  console.log();
  for (const [label, withExamples] of [
    ["no examples", false],
    ["its examples", true],
  ] as const) {
    const { mean, worst } = summarize(runs.filter((r) => r.examples > 0 === withExamples));
    if (!worst) continue;
    console.log(
      `${label}: mean over ${tests.length} article(s) top-1 ${pct(mean.inScope)}, top-1 or first alternative ${pct(mean.inScopeOrAlternative)}, ` +
        `off-topic declined ${pct(mean.offTopic)}; worst ${worst.slug} top-1 ${percent(worst.article.inScope)}`,
    );
  }
  if (!process.argv.includes("--no-generated")) generatedLibrary(content, tests, seed);
  console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The content, every test article with its examples, and generated articles up to each size: how
 * the figures move across the switch from the trained classifier to search.
 */
function generatedLibrary(
  content: Library,
  tests: readonly TestArticle[],
  seed: ReturnType<typeof seedQuestions>,
) {
  const own = content.sections.length + tests.reduce((n, t) => n + t.article.sections.length, 0);
  const folder = mkdtempSync(join(tmpdir(), "em-focus-generated-"));
  try {
    generateContent(
      folder,
      Math.ceil(Math.max(...SWITCH_SIZES) / 5),
      "content/levels-of-engineering-management-focus.md",
    );
    const filler: readonly Section[] = loadLibrary(folder, { baseUrl: null }).sections;
    console.log(
      `\ngenerated library: the content, ${tests.length} test article(s) with their examples, and generated articles (bench/generate-content.ts) up to N sections\n`,
    );
    row([
      "sections",
      "matcher",
      "test articles: mean top-1",
      "worst top-1",
      "mean off-topic declined",
      "seed held out: top-1",
      "seed: off-topic declined",
    ]);
    row(Array(7).fill("---"));
    for (const size of SWITCH_SIZES) {
      if (size < own || size - own > filler.length) {
        row([
          String(size),
          `not built: the content and test articles have ${own} sections`,
          "",
          "",
          "",
          "",
          "",
        ]);
        continue;
      }
      const extra = {
        sections: [...tests.flatMap((t) => t.article.sections), ...filler.slice(0, size - own)],
        examples: tests.flatMap((t) => t.examples),
      };
      const run = runLibrary(content, extra, seed, tests);
      const articleRuns = tests.map(
        (test, i): ArticleRun => ({
          slug: test.article.slug,
          examples: test.examples.length,
          article: run.articles[i] as Figures,
          seed: run.seed,
          kind: run.kind,
        }),
      );
      const { mean, worst } = summarize(articleRuns);
      row([
        String(size),
        run.kind,
        worst ? pct(mean.inScope) : "-",
        worst ? `${worst.slug} ${percent(worst.article.inScope)}` : "-",
        worst ? pct(mean.offTopic) : "-",
        percent(run.seed.inScope),
        percent(run.seed.offTopic),
      ]);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
