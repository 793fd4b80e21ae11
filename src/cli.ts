#!/usr/bin/env node
import "dotenv/config";
import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Config, ConfigError, readConfig } from "./config.js";
import { ContentError } from "./content/errors.js";
import { EXAMPLES_FILE } from "./content/examples.js";
import { loadLibrary, PROMPTS_FOLDER } from "./content/load.js";
import { plainText } from "./content/markdown.js";
import { loadPrompts } from "./content/prompts.js";
import { LEVEL_NAMES, type Library } from "./content/types.js";
import { type Answer, answerQuestion } from "./match/answer.js";
import { loadMatcher } from "./match/model-cache.js";

const USAGE = `Usage:
  em-focus ask "question"           the article section that fits, as text
  em-focus ask --json "question"    the same as one JSON object
  em-focus ask --json < questions   one JSON object per input line (JSON Lines)
  em-focus content check            validate every content file
  em-focus prompts deliver [--now <ISO time>]
                                    deliver the weekly prompts that are due, once
Settings come from the environment and .env (see .env.example).`;

export class UsageError extends Error {}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Runs one CLI command and returns its exit code; errors meant for people never become stack traces. */
export async function runCli(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case "ask":
        return await ask(rest, io, readConfig(env));
      case "content":
        if (rest[0] !== "check" || rest.length > 1)
          throw new UsageError('did you mean "em-focus content check"?');
        return contentCheck(io, readConfig(env));
      case "prompts": {
        const { runPromptsCommand } = await import("./prompts/cli.js");
        return await runPromptsCommand(rest, io, readConfig(env), env);
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`em-focus: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ContentError || error instanceof ConfigError) {
      io.stderr.write(`em-focus: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function openLibrary(config: Config): Library {
  return loadLibrary(config.contentDir, { baseUrl: config.contentBaseUrl });
}

async function ask(args: string[], io: Io, config: Config): Promise<number> {
  let parsed: ReturnType<typeof parseAskArgs>;
  try {
    parsed = parseAskArgs(args);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
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
    throw new UsageError('ask needs a question, e.g. em-focus ask "I miss coding, should I go back?"');
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

export function formatAnswer(answer: Answer): string {
  if (!answer.answer || !answer.section) {
    return answer.outcome === "empty"
      ? 'Ask a question in words, e.g. em-focus ask "I miss coding, should I go back?"\n'
      : "The article has no guidance on that. It is about three levels of focus for engineering leaders: Narrow (grow your own team), Wide (support several teams and other orgs), IC (hyper-focus on one problem as an engineer).\n";
  }
  const { answer: a, section } = answer;
  return [
    a.level ? `${LEVEL_NAMES[a.level]} focus — ${section.summary}` : a.heading,
    "",
    plainText(section.text),
    "",
    a.url ? `Read more: ${a.url}` : null,
    `Why: ${answer.matchedWords.length > 0 ? `matched ${answer.matchedWords.map((w) => `"${w}"`).join(", ")}` : "the closest fit for the question as a whole"} (confidence ${Math.round(a.score * 100)}%)`,
    ...answer.alternatives.map((s) => `Also relevant: ${s.heading}${s.url ? ` (${s.url})` : ""}`),
    "",
  ]
    .filter((line) => line !== null)
    .join("\n");
}

function contentCheck(io: Io, config: Config): number {
  const library = openLibrary(config);
  for (const article of library.articles) {
    const levels = article.sections.filter((s) => s.level).map((s) => `${s.level}=${s.id}`);
    io.stdout.write(
      `${article.file}: "${article.title}" (${article.slug}), ${article.sections.length} sections; levels: ${levels.join(", ") || "none"}\n`,
    );
    for (const section of article.sections) {
      io.stdout.write(
        `  #${section.id}  ${section.heading}${section.role === "overview" ? " (overview)" : ""}${section.aliases.length ? ` [${section.aliases.length} aliases]` : ""}\n`,
      );
    }
    const suggested = article.suggestedPrompts ?? [];
    if (suggested.length > 0) {
      io.stdout.write(`  suggested prompts: ${suggested.map((p) => `"${p.title}"`).join(", ")}\n`);
    }
  }
  const promptsDir = join(config.contentDir, PROMPTS_FOLDER);
  if (existsSync(promptsDir)) {
    const prompts = loadPrompts(promptsDir);
    const byLevel = prompts.reduce<Record<string, number>>((counts, p) => {
      counts[p.level ?? "general"] = (counts[p.level ?? "general"] ?? 0) + 1;
      return counts;
    }, {});
    io.stdout.write(
      `${PROMPTS_FOLDER}/: ${prompts.length} reflection prompts (${Object.entries(byLevel)
        .map(([level, n]) => `${level} ${n}`)
        .join(", ")})\n`,
    );
  }
  if (library.examples.length > 0) {
    const bySection = new Map<string, number>();
    for (const { section } of library.examples) {
      const key = section?.split("#")[1] ?? "no guidance";
      bySection.set(key, (bySection.get(key) ?? 0) + 1);
    }
    io.stdout.write(
      `${EXAMPLES_FILE}: ${library.examples.length} labelled questions (${[...bySection]
        .map(([section, n]) => `${section} ${n}`)
        .join(", ")})\n`,
    );
  }
  io.stdout.write(`ok: ${library.articles.length} article(s), ${library.sections.length} sections\n`);
  return 0;
}

// Run when executed as the bin or with tsx; not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2), process).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `em-focus: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
