import { createInterface } from "node:readline";
import type { Config } from "../config.js";
import { exampleQuestion, noGuidanceText } from "../content/about.js";
import { plainText } from "../content/markdown.js";
import { type Article, LEVEL_NAMES } from "../content/types.js";
import { type Answer, answerQuestion, CLOSEST_LEAD, REASON_WORDS } from "../match/answer.js";
import { loadMatcher } from "../match/model-cache.js";
import { openLibrary } from "./library.js";
import { parseOptions } from "./options.js";
import { COMMAND_USAGE, type Io, UsageError } from "./usage.js";

/**
 * `em-focus ask [--json] "question"`, or with no question, one question per input line (piped in, or
 * typed with `--json`); blank lines are skipped.
 */
export async function ask(args: string[], io: Io, config: Config): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { json: { type: "boolean", default: false } },
    COMMAND_USAGE.ask,
    true,
  );
  const library = openLibrary(config);
  const matcher = loadMatcher(library);
  const format = (answer: Answer) =>
    values.json ? `${toJson(answer)}\n` : formatAnswer(answer, library.articles);
  if (positionals.length > 0) {
    io.stdout.write(format(answerQuestion(matcher, positionals.join(" "))));
    return 0;
  }
  // At a terminal without --json, a forgotten question is likelier than an intent to type several.
  if (io.stdin.isTTY && !values.json)
    throw new UsageError(
      `ask needs a question, e.g. em-focus ask ${JSON.stringify(exampleQuestion(library.articles))}`,
      COMMAND_USAGE.ask,
    );
  if (io.stdin.isTTY) io.stderr.write("Reading questions from standard input, one per line (Ctrl-D ends).\n");
  // Output is batched: one write per line would make 10,000 questions spend longer in I/O than matching.
  let batch = "";
  let first = true;
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === "") continue;
    // Text answers are paragraphs: a blank line between two keeps them apart.
    batch += `${values.json || first ? "" : "\n"}${format(answerQuestion(matcher, line))}`;
    first = false;
    if (batch.length > 64_000) {
      if (!io.stdout.write(batch)) await new Promise((resolve) => io.stdout.once("drain", resolve));
      batch = "";
    }
  }
  io.stdout.write(batch);
  return 0;
}

function toJson(answer: Answer): string {
  return JSON.stringify({ question: answer.question, answer: answer.answer });
}

/** The answer as the text `em-focus ask` prints; without one, what the library's articles cover. */
export function formatAnswer(answer: Answer, articles: readonly Article[]): string {
  if (!answer.answer || !answer.section) {
    return answer.outcome === "empty"
      ? `Ask a question in words, e.g. em-focus ask ${JSON.stringify(exampleQuestion(articles))}\n`
      : `${noGuidanceText(articles)}\n`;
  }
  const { answer: a, section } = answer;
  const closest = a.confidence === "closest";
  return [
    closest
      ? `${CLOSEST_LEAD} the article does not answer this exactly; this is the part that comes nearest.`
      : null,
    closest ? "" : null,
    a.level ? `${LEVEL_NAMES[a.level]} focus — ${section.summary}` : a.heading,
    "",
    plainText(section.text),
    // The items it introduces (the levels, for the overview of them), one a line as in the article.
    ...(section.introduces?.split(/\n(?=- )/).map((item) => `- ${plainText(item.replace(/^- /, ""))}`) ?? []),
    "",
    `From: ${section.articleTitle ?? a.article}`,
    a.url ? `Read more: ${a.url}` : null,
    `Why: ${
      answer.matchedWords.length > 0
        ? `matched ${answer.matchedWords
            .slice(0, REASON_WORDS)
            .map((w) => `"${w}"`)
            .join(", ")}`
        : "the closest fit for the question as a whole"
    } (confidence ${Math.round(a.score * 100)}%)`,
    ...answer.alternatives.map(
      (s) => `${closest ? "If it misses, try" : "Also relevant"}: ${s.heading}${s.url ? ` (${s.url})` : ""}`,
    ),
    "",
  ]
    .filter((line) => line !== null)
    .join("\n");
}
