import MiniSearch from "minisearch";
import type { Section } from "../content/types.js";
import { Matcher, type MatcherOptions } from "./matcher.js";

/** One labelled question: the section a thoughtful reader would answer with, or null for off-topic. */
export interface LabelledQuestion {
  question: string;
  section: string | null;
  split: "tune" | "holdout";
}

/** Anything that answers a question with a section id or null. */
export type Answerer = (question: string) => string | null;

export interface Score {
  correct: number;
  total: number;
}

export interface Evaluation {
  inScope: Score;
  offTopic: Score;
  perSection: Record<string, Score>;
  /** Questions answered wrongly, for whoever tunes content. */
  misses: { question: string; expected: string | null; got: string | null }[];
}

export function parseLabelledQuestions(jsonl: string): LabelledQuestion[] {
  return jsonl
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const value = JSON.parse(line) as LabelledQuestion;
      if (typeof value.question !== "string" || (value.split !== "tune" && value.split !== "holdout")) {
        throw new Error(`line ${index + 1}: needs "question" and "split" ("tune" or "holdout")`);
      }
      return value;
    });
}

export function evaluate(answer: Answerer, questions: readonly LabelledQuestion[]): Evaluation {
  const result: Evaluation = {
    inScope: { correct: 0, total: 0 },
    offTopic: { correct: 0, total: 0 },
    perSection: {},
    misses: [],
  };
  for (const { question, section } of questions) {
    const got = answer(question);
    const ok = got === section;
    const bucket = section === null ? result.offTopic : result.inScope;
    const key = section ?? "(off-topic)";
    const perSection = result.perSection[key] ?? { correct: 0, total: 0 };
    result.perSection[key] = perSection;
    for (const score of [bucket, perSection]) {
      score.total += 1;
      if (ok) score.correct += 1;
    }
    if (!ok) result.misses.push({ question, expected: section, got });
  }
  return result;
}

export function projectAnswerer(sections: readonly Section[], options?: MatcherOptions): Answerer {
  const matcher = new Matcher(sections, options);
  return (question) => matcher.best(question)?.section.id ?? null;
}

/** MiniSearch as it comes: default tokenizer and options, no aliases; any hit is an answer. */
export function plainMiniSearchAnswerer(sections: readonly Section[]): Answerer {
  const index = new MiniSearch<{ id: number; heading: string; text: string }>({
    fields: ["heading", "text"],
  });
  index.addAll(sections.map((section, id) => ({ id, heading: section.heading, text: section.plain })));
  return (question) => {
    const [top] = index.search(question);
    return top ? (sections[top.id as number]?.id ?? null) : null;
  };
}

export function ratio(score: Score): number {
  return score.total === 0 ? 0 : score.correct / score.total;
}
