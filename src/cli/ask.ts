import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { Config } from "../config.js";
import { plainText } from "../content/markdown.js";
import { LEVEL_NAMES } from "../content/types.js";
import { type Answer, answerQuestion, CLOSEST_LEAD } from "../match/answer.js";
import { loadMatcher } from "../match/model-cache.js";
import { openLibrary } from "./library.js";
import { COMMAND_USAGE, type Io, UsageError } from "./usage.js";

/** `em-focus ask [--json] "question"`, or with `--json` and no question, one question per input line. */
export async function ask(args: string[], io: Io, config: Config): Promise<number> {
  let parsed: ReturnType<typeof parseAskArgs>;
  try {
    parsed = parseAskArgs(args);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), COMMAND_USAGE.ask);
  }
  const { values, positionals } = parsed;
  const matcher = loadMatcher(openLibrary(config));
  const question = positionals.join(" ");
  if (positionals.length > 0) {
    const answer = answerQuestion(matcher, question);
    io.stdout.write(values.json ? `${toJson(answer)}\n` : formatAnswer(answer));
    return 0;
  }
  if (!values.json)
    throw new UsageError(
      'ask needs a question, e.g. em-focus ask "I miss coding, should I go back?"',
      COMMAND_USAGE.ask,
    );
  if (io.stdin.isTTY) io.stderr.write("Reading questions from standard input, one per line (Ctrl-D ends).\n");
  // Output is batched: one write per line would make 10,000 questions spend longer in I/O than matching.
  let batch = "";
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    batch += `${toJson(answerQuestion(matcher, line))}\n`;
    if (batch.length > 64_000) {
      if (!io.stdout.write(batch)) await new Promise((resolve) => io.stdout.once("drain", resolve));
      batch = "";
    }
  }
  io.stdout.write(batch);
  return 0;
}

function parseAskArgs(args: string[]) {
  return parseArgs({ args, options: { json: { type: "boolean", default: false } }, allowPositionals: true });
}

function toJson(answer: Answer): string {
  return JSON.stringify({ question: answer.question, answer: answer.answer });
}

/** The answer as the text `em-focus ask` prints. */
export function formatAnswer(answer: Answer): string {
  if (!answer.answer || !answer.section) {
    return answer.outcome === "empty"
      ? 'Ask a question in words, e.g. em-focus ask "I miss coding, should I go back?"\n'
      : "The article has no guidance on that. It is about three levels of focus for engineering leaders: Narrow (grow your own team), Wide (support several teams and other orgs), IC (hyper-focus on one problem as an engineer).\n";
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
    "",
    a.url ? `Read more: ${a.url}` : null,
    `Why: ${answer.matchedWords.length > 0 ? `matched ${answer.matchedWords.map((w) => `"${w}"`).join(", ")}` : "the closest fit for the question as a whole"} (confidence ${Math.round(a.score * 100)}%)`,
    ...answer.alternatives.map(
      (s) => `${closest ? "If it misses, try" : "Also relevant"}: ${s.heading}${s.url ? ` (${s.url})` : ""}`,
    ),
    "",
  ]
    .filter((line) => line !== null)
    .join("\n");
}
