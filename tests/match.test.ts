import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { answerQuestion } from "../src/match/answer.js";
import { crossValidate, stratifiedFolds } from "../src/match/cross-validate.js";
import {
  decide,
  evaluate,
  evaluateMatcher,
  evaluatePlain,
  type LabelledQuestion,
  leakedExamples,
  parseLabelledQuestions,
  plainMiniSearch,
  ratio,
} from "../src/match/evaluate.js";
import { Matcher } from "../src/match/matcher.js";
import { cleanQuestion, MAX_QUESTION_CHARS } from "../src/match/question.js";
import { TWO_SECTIONS } from "../test-support/questions.js";

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
    ["I now run three teams through their leads", "wide"],
    ["how do I guide my managers", "wide"],
    ["my reports need help growing", "narrow"],
    ["how long until I stop feeling like the new guy", "onboarding-takes-two-years"],
    ["How many years should I stay at a job before switching", "onboarding-takes-two-years"],
    ["Do ex-managers make good engineers", "going-back-to-building"],
    ["is becoming a manager a step up", "engineering-management-is-not-a-promotion"],
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

  it("treats the confidence thresholds as the lines between answer, closest guidance and off-topic", () => {
    const question = "I miss coding";
    const score = matcher.rank(question, 1)[0]?.score ?? 0;
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1);
    // The trained model does not depend on the thresholds: reuse it.
    const deciding = (minConfidence: number, closestConfidence: number) =>
      new Matcher(library, { minConfidence, closestConfidence }, matcher.model ?? undefined).decide(question);
    expect(new Matcher(library, { minConfidence: score }).best(question)?.section.id).toBe("ic");
    expect(deciding(score, score)?.confidence).toBe("high");
    expect(deciding(score + 0.001, score + 0.001)).toBeNull();
    const closest = deciding(score + 0.001, score);
    expect(closest?.best.section.id).toBe("ic");
    expect(closest?.confidence).toBe("closest");
    expect(closest?.alternatives.length).toBeGreaterThan(0);
  });

  it("gives each section a confidence against no guidance, and a share among sections that adds up to 1", () => {
    const ranked = matcher.rank("how do I grow the engineers on my team", 100);
    expect(ranked).toHaveLength(library.sections.length);
    for (const match of ranked) {
      expect(match.score).toBeGreaterThanOrEqual(0);
      expect(match.score).toBeLessThanOrEqual(1);
    }
    const total = ranked.reduce((sum, match) => sum + match.share, 0);
    expect(total).toBeCloseTo(1, 9);
    const shares = ranked.map((m) => m.share);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
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
    // Five trainings: a few seconds alone, over 20 s on two cores shared with other suites.
  }, 120_000);

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
    // An alternative is judged against the best, not against no guidance.
    expect(decide(ranking, 0.7, 0.1)).toEqual({ section: "ic", alternatives: ["wide", "narrow"] });
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

// The seven kinds of miss named in issue 8, each with questions written for this test (none of them
// is in content/examples.jsonl or tests/fixtures/questions.jsonl).
describe("kinds of miss that used to happen", () => {
  const decide = (question: string) => {
    const decision = matcher.decide(question);
    return decision
      ? { section: decision.best.section.id, alternatives: decision.alternatives.map((m) => m.section.id) }
      : null;
  };

  it("keeps these questions out of the examples the matcher learns from", () => {
    const known = new Set(
      [
        ...library.examples.map((e) => e.question),
        ...parseLabelledQuestions(readFileSync(QUESTIONS, "utf8")).map((q) => q.question),
      ].map((q) => q.toLowerCase()),
    );
    for (const question of KIND_QUESTIONS) expect(known.has(question.toLowerCase())).toBe(false);
  });

  it.each([
    ["what does the wide level look like day to day", "wide"],
    ["tell me about the narrow one", "narrow"],
    ["whats the narrow focus level", "narrow"],
    ["IC level?", "ic"],
    ["what is wide focus", "wide"],
    ["explain the narrow level", "narrow"],
  ])("1. a question that names one level gets that level: %j → %s", (question, id) => {
    expect(best(question)).toBe(id);
  });

  it.each([
    ["what are the three levels", "focus-levels"],
    ["gist?", "levels-of-engineering-management-focus"],
    // "what … about" used to be stop words, leaving the single word "bot".
    ["tell me what this bot is about", "levels-of-engineering-management-focus"],
  ])("1. the overview and the intro answer questions about the whole: %j → %s", (question, id) => {
    expect(best(question)).toBe(id);
  });

  it.each([
    "I'm a director now, what should I pay attention to",
    "senior EM with four teams under me",
    "head of engineering priorities",
    "skip level meetings with my managers' reports",
  ])("2. role and title words for leading several teams or managers lead to wide: %j", (question) => {
    expect(best(question)).toBe("wide");
  });

  it.each([
    "how do I mentor the engineers on my team",
    "coaching my direct reports so they grow",
    "helping a junior on my team get better",
  ])("3. growing, mentoring, coaching one's own reports leads to narrow: %j", (question) => {
    expect(best(question)).toBe("narrow");
  });

  it.each([
    ["are ex-managers better engineers", "going-back-to-building"],
    ["will my manager years make me a better developer", "going-back-to-building"],
    ["I want to go back to coding because I miss it", "ic"],
    ["will going back to IC cost me the VP job", "giving-up-the-vp-path"],
  ])("4. former managers as engineers, going back by choice, and the VP path: %j → %s", (question, id) => {
    expect(best(question)).toBe(id);
  });

  it.each([
    ["onboarding", "onboarding-takes-two-years"],
    ["director", "wide"],
    ["comp", "engineering-management-is-not-a-promotion"],
    ["narrow", "narrow"],
    ["pendulum", "going-back-to-building"],
    ["VP", "giving-up-the-vp-path"],
    ["salary", "engineering-management-is-not-a-promotion"],
  ])("5. a one-word question that names a key idea: %j → %s", (question, id) => {
    expect(best(question)).toBe(id);
  });

  it.each([
    "how do I switch my laptop back to the old keyboard layout",
    "which level of the parking garage is reserved",
    "is there a promo code for the conference",
    "how do I narrow my search in confluence",
    "set the log level to debug",
    "which python package manager do you recommend",
    "is the IC chip shortage over",
    "how do I onboard a new customer to our API",
    "what time does the VP's town hall start",
    "focus mode on android",
    "2 year warranty on the monitor",
    "staff party dress code",
    "how do I switch back to the previous git branch",
    "wide screen or two monitors",
  ])("6. a near-miss that uses the domain's words in another sense has no guidance: %j", (question) => {
    expect(best(question)).toBeNull();
  });

  it.each([
    [TWO_SECTIONS, "ic", "giving-up-the-vp-path"],
    [
      "ex-manager going back to IC: is it good for my VP chances",
      "giving-up-the-vp-path",
      "going-back-to-building",
    ],
  ])("7. a question that fits two sections offers both: %j", (question, one, other) => {
    const decision = decide(question);
    expect(decision?.alternatives.length).toBeGreaterThanOrEqual(1);
    expect(decision?.alternatives.length).toBeLessThanOrEqual(2);
    expect([decision?.section, ...(decision?.alternatives ?? [])]).toEqual(
      expect.arrayContaining([one, other]),
    );
  });

  it("7. a clear question offers no alternatives", () => {
    expect(decide("how do I run good 1:1s with my reports")).toEqual({ section: "narrow", alternatives: [] });
  });
});

const KIND_QUESTIONS = [
  "what does the wide level look like day to day",
  "tell me about the narrow one",
  "IC level?",
  "explain the narrow level",
  "I'm a director now, what should I pay attention to",
  "senior EM with four teams under me",
  "coaching my direct reports so they grow",
  "are ex-managers better engineers",
  "will going back to IC cost me the VP job",
  "which level of the parking garage is reserved",
  "how do I switch my laptop back to the old keyboard layout",
  "Will I ever be a CTO if I go back to IC",
  "should I leave management to code, and does that end my shot at CTO",
  TWO_SECTIONS,
  "tell me what this bot is about",
];

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
    // Two neighbouring letters swapped: one slip of the fingers, though an edit distance counts two.
    ["is managemnet a promotion", "engineering-management-is-not-a-promotion"],
    ["how long does onbaording take", "onboarding-takes-two-years"],
    ["is engineering managment a promtoion", "engineering-management-is-not-a-promotion"],
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

  // "narrow" and "wide" also appear in many near-miss examples (narrow types, wide monitors), so two
  // level names alone fell just under the confidence needed; labelled comparisons in
  // content/examples.jsonl fixed it (issue 21, item 2), and the overview now lists the three levels.
  it.each(["narrow vs wide", "difference between narrow and wide"])(
    "kind 1: answers a comparison of two levels with the overview of the levels: %j",
    (question) => {
      expect(best(question)).toBe("focus-levels");
    },
  );

  // The alternative share chosen by cross-validation with the real questions (0.3 of the best's share)
  // leaves IC out here: it has 0.22 of the VP path's share.
  it.fails("kind 7: offers IC beside the VP path when leaving management to code may end a shot at CTO", () => {
    const decision = matcher.decide("should I leave management to code, and does that end my shot at CTO");
    expect(decision?.alternatives.map((m) => m.section.id)).toContain("ic");
  });

  // "manager" pulls towards not-a-promotion; Wide comes second, offered as Also relevant.
  it.fails("kind 2: answers leading managers with wide", () => {
    expect(best("how do I lead my managers")).toBe("wide");
  });

  // Going back to building comes first and IC second (offered as Also relevant).
  it.fails("kind 4: answers wanting to write software again with IC", () => {
    expect(best("I want to write software again")).toBe("ic");
  });

  // The VP path takes nearly all the evidence, so IC is not offered beside it.
  it.fails.each(["Will I ever be a CTO if I go back to IC"])(
    "kind 7: offers IC beside the VP path for %j",
    (question) => {
      expect(matcher.decide(question)?.alternatives.map((m) => m.section.id)).toContain("ic");
    },
  );
});
