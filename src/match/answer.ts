import type { FocusLevel, Section } from "../content/types.js";
import type { Matcher } from "./matcher.js";
import { cleanQuestion } from "./question.js";
import { tokenize } from "./terms.js";

/** The guidance given for a question; the shape `em-focus ask --json` prints. */
export interface AnswerBody {
  article: string;
  section: string;
  level: FocusLevel | null;
  heading: string;
  text: string;
  url: string | null;
  score: number;
}

export interface Answer {
  /** The question exactly as asked. */
  question: string;
  /**
   * `answered`: a section fits; `off-topic`: the question has words, but the article has no
   * guidance on them; `empty`: nothing left to match once markup and emoji are removed.
   */
  outcome: "answered" | "off-topic" | "empty";
  answer: AnswerBody | null;
  /** The matched section itself, for views that need more than the JSON body. */
  section: Section | null;
  /** The question's words that decided the match, as typed. */
  matchedWords: string[];
}

export function answerQuestion(matcher: Matcher, question: string): Answer {
  const match = matcher.best(question);
  if (!match) {
    // Only unanswered questions need telling apart; answered ones are not cleaned a second time.
    const outcome = tokenize(cleanQuestion(question)).length === 0 ? "empty" : "off-topic";
    return { question, outcome, answer: null, section: null, matchedWords: [] };
  }
  const { section } = match;
  return {
    question,
    outcome: "answered",
    section,
    matchedWords: [...new Set(match.words)],
    answer: {
      article: section.article,
      section: section.id,
      level: section.level,
      heading: section.heading,
      text: section.text,
      url: section.url,
      score: Math.round(match.score * 1000) / 1000,
    },
  };
}
