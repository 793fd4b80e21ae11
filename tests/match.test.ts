import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { answerQuestion } from "../src/match/answer.js";
import {
  crossValidate,
  decide,
  evaluate,
  evaluateMatcher,
  evaluatePlain,
  type LabelledQuestion,
  leakedExamples,
  parseLabelledQuestions,
  plainMiniSearch,
  ratio,
  stratifiedFolds,
} from "../src/match/evaluate.js";
import { Matcher } from "../src/match/matcher.js";
import { cleanQuestion, MAX_QUESTION_CHARS } from "../src/match/question.js";

const CONTENT = fileURLToPath(new URL("../content", import.meta.url));
const QUESTIONS = fileURLToPath(new URL("./fixtures/questions.jsonl", import.meta.url));

const library = loadLibrary(CONTENT, { baseUrl: "https://x.test/articles" });
const matcher = new Matcher(library);
const best = (question: string) => matcher.best(question)?.section.id ?? null;

describe("cleanQuestion", () => {
  it.each([
    ["<@U123> should I go back?", "should I go back?"],
    ["<@U123|bob> should I go back?", "should I go back?"],
    ["<!channel> anyone?", "anyone?"],
    ["<!here> anyone?", "anyone?"],
    ["<!subteam^S1|@eng> how long", "how long"],
    ["see <#C1|general> please", "see please"],
    [":thinking_face: am I a manager :+1::skin-tone-2:", "am I a manager"],
    ["is it *really* a _promotion_ or ~not~", "is it really a promotion or not"],
    ["read <https://x.y|the label> now", "read the label now"],
    ["read <https://x.y/z> and https://a.b/c now", "read and now"],
    ["mail <mailto:a@b.c|Ann> now", "mail Ann now"],
    ["R&amp;D &lt;3 &gt; sales", "R&D <3 > sales"],
    ["&amp;lt; stays literal", "&lt; stays literal"],
    ["  many\n\n  spaces\t here  ", "many spaces here"],
  ])("cleans %j", (raw, clean) => {
    expect(cleanQuestion(raw)).toBe(clean);
  });

  it("caps the length at MAX_QUESTION_CHARS", () => {
    expect(MAX_QUESTION_CHARS).toBe(2000);
    const long = cleanQuestion("word ".repeat(20_000));
    expect(long.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(long.length).toBeGreaterThan(MAX_QUESTION_CHARS - 10);
    expect(long.startsWith("word word")).toBe(true);
  });

  it("empties markup-only and emoji-only text", () => {
    expect(cleanQuestion("<@U1> <!here> :wave: :tada: <#C2|x>")).toBe("");
  });
});

describe("markup does not disturb matching", () => {
  const wrap = (q: string) =>
    `<@U0BOT|em-focus> <!here> :thinking_face: *${q}* <https://example.com/thread> :+1:`;
  it.each([
    "I miss coding, should I go back?",
    "I now run three teams through their leads",
    "promotion?",
    "how long does onboarding take",
    "will I ever be a CTO if I go back to IC",
    "how do I set up kubernetes ingress",
  ])("%j", (question) => {
    const plain = matcher.best(question);
    const wrapped = matcher.best(wrap(question));
    expect(wrapped?.section.id ?? null).toBe(plain?.section.id ?? null);
    expect(wrapped?.score).toBe(plain?.score);
  });

  it("decoded entities match like typed text", () => {
    expect(best("R&amp;D lead: I miss coding &amp; building")).toBe(
      best("R&D lead: I miss coding & building"),
    );
    expect(best("R&amp;D lead: I miss coding &amp; building")).toBe("ic");
  });
});

describe("Matcher", () => {
  it.each([
    ["I miss coding, should I go back?", "ic"],
    ["I want to write software again", "ic"],
    ["I now run three teams through their leads", "wide"],
    ["how do I guide my managers", "wide"],
    ["my reports need help growing", "narrow"],
    ["how long until I stop feeling like the new guy", "onboarding-takes-two-years"],
    ["How many years should I stay at a job before switching", "onboarding-takes-two-years"],
    ["Will I ever be a CTO if I go back to IC", "giving-up-the-vp-path"],
    ["Do ex-managers make good engineers", "going-back-to-building"],
    ["is becoming a manager a step up", "engineering-management-is-not-a-promotion"],
    ["difference between narrow and wide", "focus-levels"],
    ["what's this article about", "levels-of-engineering-management-focus"],
  ])("answers the paraphrase %j with %s", (question, id) => {
    expect(best(question)).toBe(id);
  });

  it.each([
    ["is managment a promotion", "engineering-management-is-not-a-promotion"],
    ["how long does onboardng take", "onboarding-takes-two-years"],
    ["onbording takes how long", "onboarding-takes-two-years"],
    ["supporting multiple teems as a director", "wide"],
    ["becoming a VP of engneering", "giving-up-the-vp-path"],
    ["I want to go bakc to being an individal contributor", "ic"],
  ])("tolerates typos: %j → %s", (question, id) => {
    expect(best(question)).toBe(id);
  });

  it.each([
    ["promotion?", "engineering-management-is-not-a-promotion"],
    ["salary", "engineering-management-is-not-a-promotion"],
    ["tl;dr", "levels-of-engineering-management-focus"],
    ["director", "wide"],
    ["1:1s", "narrow"],
  ])("answers the one-word question %j", (question, id) => {
    expect(best(question)).toBe(id);
  });

  it.each([
    "how do I set up kubernetes ingress",
    "what's a good laptop",
    "hi",
    "",
    "   ",
    "best pizza in town",
    "python decorators",
    "fix my CI pipeline",
  ])("takes %j as off-topic", (question) => {
    expect(matcher.best(question)).toBeNull();
  });

  it("ranks best first, reports the words that matched, and honours the limit", () => {
    const ranked = matcher.rank("I miss coding, should I go back?", 3);
    expect(ranked).toHaveLength(3);
    expect(ranked[0]?.section.id).toBe("ic");
    const scores = ranked.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(ranked[0]?.words).toEqual(expect.arrayContaining(["miss", "coding"]));
    expect(matcher.rank("I miss coding", 1)).toHaveLength(1);
    expect(matcher.rank("hi")).toEqual([]);
  });

  it("treats the confidence threshold as the line between answer and off-topic", () => {
    const question = "I miss coding";
    const score = matcher.rank(question, 1)[0]?.score ?? 0;
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1);
    expect(new Matcher(library, { minConfidence: score }).best(question)?.section.id).toBe("ic");
    expect(new Matcher(library, { minConfidence: score + 0.001 }).best(question)).toBeNull();
  });

  it("gives confidences that, with no guidance, add up to at most 1", () => {
    const ranked = matcher.rank("how do I grow the engineers on my team", 100);
    expect(ranked).toHaveLength(library.sections.length);
    const total = ranked.reduce((sum, match) => sum + match.score, 0);
    expect(total).toBeGreaterThan(0.5);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
  });

  it("trains the same model from the same content", () => {
    const again = new Matcher(library);
    for (const question of ["I miss coding", "3 teams now", "what is this about"]) {
      expect(again.rank(question)).toEqual(matcher.rank(question));
    }
  });

  it("copes with a 40,000-character question quickly", () => {
    const started = performance.now();
    const answer = answerQuestion(matcher, "I miss coding, should I go back? ".repeat(1250));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(answer.question).toHaveLength(41_250);
    expect(answer.outcome).toBe("answered");
    expect(answer.answer?.section).toBe("ic");
    const noise = answerQuestion(matcher, "x".repeat(40_000));
    expect(noise.outcome).toBe("off-topic");
  });

  it.each([
    "管理は昇進ですか",
    "هل الإدارة ترقية",
    "¿Cómo vuelvo a programar?",
    "Как долго длится адаптация?",
    "👩‍💻🔁👔",
    "\uD800 lone surrogate",
    "I\u200Bmiss\u00A0coding",
    "e\u0301\u0301\u0301",
  ])("does not throw on %j", (question) => {
    const answer = answerQuestion(matcher, question);
    expect(["answered", "off-topic", "empty"]).toContain(answer.outcome);
    expect(answer.question).toBe(question);
  });
});

describe("answerQuestion", () => {
  it("answers with the section, its link and a rounded score", () => {
    const answer = answerQuestion(matcher, "<@U1> I miss coding, should I go back?");
    expect(answer.outcome).toBe("answered");
    expect(answer.question).toBe("<@U1> I miss coding, should I go back?");
    expect(answer.section?.id).toBe("ic");
    expect(answer.answer).toMatchObject({
      article: "levels-of-engineering-management-focus",
      section: "ic",
      level: "ic",
      heading: "IC",
      url: "https://x.test/articles/levels-of-engineering-management-focus#ic",
    });
    expect(answer.answer?.text).toBe(answer.section?.text);
    const score = answer.answer?.score ?? 0;
    expect(score).toBeGreaterThanOrEqual(matcher.options.minConfidence);
    expect(score).toBeLessThanOrEqual(1);
    expect(Math.round(score * 1000) / 1000).toBe(score);
    expect(answer.matchedWords).toEqual(expect.arrayContaining(["miss", "coding"]));
    expect(new Set(answer.matchedWords).size).toBe(answer.matchedWords.length);
  });

  it("says off-topic when there are words but no guidance", () => {
    for (const question of ["how do I set up kubernetes ingress", "what's a good laptop", "hi"]) {
      const answer = answerQuestion(matcher, question);
      expect(answer).toEqual({
        question,
        outcome: "off-topic",
        answer: null,
        section: null,
        alternatives: [],
        matchedWords: [],
      });
    }
  });

  it("says empty when nothing is left once markup and emoji are gone", () => {
    for (const question of ["", "   ", ":wave: :tada:", "<@U123> <!here>", "<#C1|general> :eyes:"]) {
      const answer = answerQuestion(matcher, question);
      expect(answer).toEqual({
        question,
        outcome: "empty",
        answer: null,
        section: null,
        alternatives: [],
        matchedWords: [],
      });
    }
  });
});

describe("accuracy on the labelled questions (regression guard)", () => {
  const questions = parseLabelledQuestions(readFileSync(QUESTIONS, "utf8"));
  const part = (split: LabelledQuestion["split"]) => questions.filter((q) => q.split === split);
  const plain = plainMiniSearch(library.sections);

  it("has both parts, in-scope and off-topic, labelled with real section ids", () => {
    const ids = new Set(library.sections.map((s) => s.id));
    for (const q of questions) {
      if (q.section !== null) expect(ids).toContain(q.section);
      if (q.also !== undefined) expect(ids).toContain(q.also);
    }
    for (const split of ["tune", "holdout"] as const) {
      expect(part(split).some((q) => q.section === null)).toBe(true);
      expect(part(split).some((q) => q.section !== null)).toBe(true);
    }
    expect(part("holdout").length / questions.length).toBeGreaterThanOrEqual(0.3);
  });

  it("never learns from a held-out question", () => {
    expect(leakedExamples(library, questions)).toEqual([]);
  });

  it("meets the floor in cross-validation on the tuning part and beats plain MiniSearch", () => {
    const { evaluation } = crossValidate(library, part("tune"));
    const baseline = evaluatePlain(plain, part("tune"));
    expect(ratio(evaluation.inScope)).toBeGreaterThanOrEqual(0.85);
    expect(ratio(evaluation.offTopic)).toBeGreaterThanOrEqual(0.85);
    expect(ratio(evaluation.inScope)).toBeGreaterThan(ratio(baseline.inScope));
    expect(ratio(evaluation.offTopic)).toBeGreaterThan(ratio(baseline.offTopic));
  });

  it("meets the floor on the held-out part and beats plain MiniSearch", () => {
    const result = evaluateMatcher(matcher, part("holdout"));
    const baseline = evaluatePlain(plain, part("holdout"));
    expect(ratio(result.inScope)).toBeGreaterThanOrEqual(0.85);
    expect(ratio(result.offTopic)).toBeGreaterThanOrEqual(0.9);
    expect(ratio(result.inScopeOrAlternative)).toBeGreaterThanOrEqual(ratio(result.inScope));
    expect(ratio(result.inScope)).toBeGreaterThan(ratio(baseline.inScope));
    expect(ratio(result.offTopic)).toBeGreaterThan(ratio(baseline.offTopic));
  });

  it("evaluate counts right answers, first alternatives, confusions and misses", () => {
    const q = (question: string, section: string | null): LabelledQuestion => ({
      question,
      section,
      split: "tune",
    });
    const result = evaluate([
      { question: q("a", "ic"), prediction: { section: "ic", alternatives: [] } },
      { question: q("b", "ic"), prediction: { section: "wide", alternatives: ["ic"] } },
      { question: q("c", "ic"), prediction: { section: "wide", alternatives: ["narrow", "ic"] } },
      { question: q("d", null), prediction: { section: null, alternatives: [] } },
    ]);
    expect(result.inScope).toEqual({ correct: 1, total: 3 });
    expect(result.inScopeOrAlternative).toEqual({ correct: 2, total: 3 });
    expect(result.offTopic).toEqual({ correct: 1, total: 1 });
    expect(result.withAlternatives).toEqual({ correct: 2, total: 3 });
    expect(result.perSection).toEqual({
      ic: { correct: 1, total: 3 },
      "(off-topic)": { correct: 1, total: 1 },
    });
    expect(result.confusions).toEqual({ "ic → wide": 2 });
    expect(result.misses.map((m) => m.question)).toEqual(["b", "c"]);
    expect(ratio({ correct: 0, total: 0 })).toBe(0);
  });

  it("decide applies the threshold and the alternative share", () => {
    const ranking = [
      { section: "ic", score: 0.9, share: 0.5, words: ["coding"] },
      { section: "wide", score: 0.8, share: 0.3, words: ["teams"] },
      { section: "narrow", score: 0.6, share: 0.1, words: ["team"] },
    ];
    expect(decide(ranking, 0.95, 0.5)).toEqual({ section: null, alternatives: [] });
    expect(decide(ranking, 0.5, 0.5)).toEqual({ section: "ic", alternatives: ["wide"] });
    expect(decide(ranking, 0.5, 0.1)).toEqual({ section: "ic", alternatives: ["wide", "narrow"] });
    expect(decide(ranking, 0.5, 0.9)).toEqual({ section: "ic", alternatives: [] });
    // An alternative must be an answer on its own, too.
    expect(decide(ranking, 0.7, 0.1)).toEqual({ section: "ic", alternatives: ["wide"] });
    // An answer no word of the question supports is no answer; nor is such an alternative.
    const [first, second, third] = ranking as [(typeof ranking)[0], (typeof ranking)[0], (typeof ranking)[0]];
    expect(decide([{ ...first, words: [] }, second, third], 0.5, 0.1)).toEqual({
      section: null,
      alternatives: [],
    });
    expect(decide([first, { ...second, words: [] }, third], 0.5, 0.1)).toEqual({
      section: "ic",
      alternatives: ["narrow"],
    });
  });

  it("deals folds per label, round-robin", () => {
    const q = (section: string | null): LabelledQuestion => ({ question: "x", section, split: "tune" });
    expect(stratifiedFolds([q("a"), q("a"), q(null), q("a"), q(null)], 2)).toEqual([0, 1, 0, 0, 1]);
  });

  it("parseLabelledQuestions rejects a line without a split", () => {
    expect(() => parseLabelledQuestions('{"question":"q","section":null}\n')).toThrow(/line 1/);
  });
});

// Fixed bugs stay as plain tests. The `.fails` ones are known misses of the matcher, written as the
// behaviour we want: they turn red the day the matcher gets them right, so the marker gets removed.
describe("regressions and known misses", () => {
  // src/match/question.ts: the emoji pattern /:[a-z0-9_+'-]+:/ also eats ":1s:" out of "1:1s:".
  it("keeps 1:1s followed by a colon", () => {
    expect(cleanQuestion("tips for 1:1s: with my reports")).toBe("tips for 1:1s: with my reports");
    expect(best("any tips for 1:1s: with my reports")).toBe("narrow");
  });

  // src/match/answer.ts: "empty" is only given when cleanQuestion() returns "", so Unicode emoji and
  // punctuation (no words at all) come back as "off-topic", and the CLI says "no guidance on that".
  it.each(["👋🎉", "???", "🙏 …"])("calls %j empty", (question) => {
    expect(answerQuestion(matcher, question).outcome).toBe("empty");
  });

  // Fuzzy matching on stems missed these: a typo usually stops the stemmer ("promtion" stays
  // "promtion", "promotion" becomes "promot"). Words are now corrected before stemming.
  it.each([
    ["promtion?", "engineering-management-is-not-a-promotion"],
    ["is managment a promotoin", "engineering-management-is-not-a-promotion"],
    ["i miss codding", "ic"],
    ["I miss programing", "ic"],
    ["compensaton for managers vs engineers", "engineering-management-is-not-a-promotion"],
  ])("typo %j → %s", (question, id) => {
    expect(best(question)).toBe(id);
  });

  // One everyday word shared with a section ("take", "time") used to pass minScore; they are stop words now.
  it.each(["how long does it take to cook rice", "what time is it", "can I take a vacation"])(
    "takes %j as off-topic",
    (question) => {
      expect(best(question)).toBeNull();
    },
  );

  it("answers leading managers with wide", () => {
    expect(best("how do I lead my managers")).toBe("wide");
  });
});
