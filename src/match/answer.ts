import { answerMarkdown, type FocusLevel, type Section } from "../content/types.js";
import { type Confidence, choose, type Match, type Matcher } from "./matcher.js";
import { cleanQuestion } from "./question.js";
import { tokenize } from "./terms.js";

/** One section given as guidance; the shape `em-focus ask --json` prints. */
export interface SectionBody {
  article: string;
  section: string;
  level: FocusLevel | null;
  heading: string;
  text: string;
  url: string | null;
  /** Confidence, 0-1, rounded to three decimals. */
  score: number;
}

/** The guidance given for a question, with close runners-up (best first, at most 2, often none). */
export interface AnswerBody extends SectionBody {
  /** `high`: the section answers the question; `closest`: the nearest the article comes to it. */
  confidence: Confidence;
  alternatives: SectionBody[];
}

/** How every surface opens a "closest" answer (Slack, the assistant panel, the playground, `em-focus ask`). */
export const CLOSEST_LEAD = "The closest guidance I have:";

/** How many of the question's words an answer names as the reason: the strongest ones say why. */
export const REASON_WORDS = 6;

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
  /** Sections that fit almost as well, best first. */
  alternatives: Section[];
  /** The question's words that decided the match, as typed. */
  matchedWords: string[];
}

export function answerQuestion(matcher: Matcher, question: string): Answer {
  const decision = matcher.decide(question);
  if (!decision) {
    // Only unanswered questions need telling apart; answered ones are not cleaned a second time.
    const outcome = tokenize(cleanQuestion(question)).length === 0 ? "empty" : "off-topic";
    return { question, outcome, answer: null, section: null, alternatives: [], matchedWords: [] };
  }
  const { best, alternatives, confidence } = decision;
  return {
    question,
    outcome: "answered",
    section: best.section,
    alternatives: alternatives.map((match) => match.section),
    matchedWords: [...new Set(best.words)],
    answer: { ...body(best), confidence, alternatives: alternatives.map(body) },
  };
}

/**
 * The answer shown when a person picks a section themselves (an "Also relevant" button) or when an
 * answer is drawn again: that section, with the words of the question that support it, and the
 * question's other close sections as its alternatives. It is a `high` answer, as a section a
 * person picked is what they asked for; only the bot's own "closest" pick, drawn again (after a
 * 👍/👎), stays "closest".
 */
export function answerWithSection(
  matcher: Matcher,
  question: string,
  section: Section,
): Answer & { section: Section } {
  // One ranking serves both: the chosen section's own words, and the decision it would have made.
  const ranked = matcher.rank(question, matcher.sections.length);
  const same = (match: Match) => match.section.article === section.article && match.section.id === section.id;
  const own = ranked.find(same);
  const decision = choose(ranked, matcher.options);
  const others = decision ? [decision.best, ...decision.alternatives].filter((match) => !same(match)) : [];
  const alternatives = others.slice(0, 2);
  return {
    question,
    outcome: "answered",
    section,
    alternatives: alternatives.map((match) => match.section),
    matchedWords: [...new Set(own?.words ?? [])],
    answer: {
      ...body(own ?? { section, score: 0, share: 0, words: [] }),
      confidence: decision?.confidence === "closest" && same(decision.best) ? "closest" : "high",
      alternatives: alternatives.map(body),
    },
  };
}

function body({ section, score }: Match): SectionBody {
  return {
    article: section.article,
    section: section.id,
    level: section.level,
    heading: section.heading,
    text: answerMarkdown(section),
    url: section.url,
    score: Math.round(score * 1000) / 1000,
  };
}
