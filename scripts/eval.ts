/**
 * Prints how well em-focus answers the labelled questions, beside plain MiniSearch over the same
 * sections. `npm run eval` (add `--misses` to list what each part got wrong).
 */
import { readFileSync } from "node:fs";
import { loadLibrary } from "../src/content/load.js";
import {
  type Answerer,
  type Evaluation,
  evaluate,
  parseLabelledQuestions,
  plainMiniSearchAnswerer,
  projectAnswerer,
  ratio,
} from "../src/match/evaluate.js";

const contentDir = process.env.CONTENT_DIR ?? "content";
const library = loadLibrary(contentDir);
const questions = parseLabelledQuestions(readFileSync("tests/fixtures/questions.jsonl", "utf8"));
const showMisses = process.argv.includes("--misses");

const answerers: Record<string, Answerer> = {
  "em-focus": projectAnswerer(library.sections),
  "plain MiniSearch": plainMiniSearchAnswerer(library.sections),
};
const splits = ["tune", "holdout"] as const;
const results: Record<string, Record<(typeof splits)[number], Evaluation>> = {};
for (const [name, answer] of Object.entries(answerers)) {
  results[name] = {
    tune: evaluate(
      answer,
      questions.filter((q) => q.split === "tune"),
    ),
    holdout: evaluate(
      answer,
      questions.filter((q) => q.split === "holdout"),
    ),
  };
}

const at = (name: string, split: (typeof splits)[number]): Evaluation => {
  const found = results[name]?.[split];
  if (!found) throw new Error(`no results for ${name} ${split}`);
  return found;
};
const pct = (score: { correct: number; total: number }) =>
  `${(ratio(score) * 100).toFixed(1).padStart(5)}% (${score.correct}/${score.total})`;
const names = Object.keys(results);
const row = (label: string, cells: string[]) =>
  console.log(`${label.padEnd(44)}${cells.map((c) => c.padEnd(20)).join("")}`);

console.log(`${questions.length} labelled questions from tests/fixtures/questions.jsonl; top-1 accuracy\n`);
row(
  "",
  names.flatMap((n) => splits.map((s) => `${n} ${s}`)),
);
row(
  "in scope (right section)",
  names.flatMap((n) => splits.map((s) => pct(at(n, s).inScope))),
);
row(
  "off-topic (no answer)",
  names.flatMap((n) => splits.map((s) => pct(at(n, s).offTopic))),
);
console.log("\nper section");
const sectionKeys = [...library.sections.map((s) => s.id), "(off-topic)"];
for (const key of sectionKeys) {
  row(
    `  ${key}`,
    names.flatMap((n) => splits.map((s) => pct(at(n, s).perSection[key] ?? { correct: 0, total: 0 }))),
  );
}
if (showMisses) {
  for (const n of names) {
    for (const s of splits) {
      console.log(`\nmisses: ${n} ${s}`);
      for (const miss of at(n, s).misses) {
        console.log(
          `  expected ${miss.expected ?? "-"} got ${miss.got ?? "-"}: ${miss.question.slice(0, 100)}`,
        );
      }
    }
  }
}
