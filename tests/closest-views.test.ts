import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatAnswer } from "../src/cli/ask.js";
import { loadLibrary } from "../src/content/load.js";
import type { Section } from "../src/content/types.js";
import { type Answer, answerQuestion, answerWithSection, CLOSEST_LEAD } from "../src/match/answer.js";
import { Matcher } from "../src/match/matcher.js";
import { blocksToHtml } from "../src/playground/blockkit-html.js";
import { explainHtml } from "../src/playground/pages.js";
import { Studio } from "../src/playground/studio.js";
import { ACTIONS, ALSO_RELEVANT_ACTIONS, answerView, sectionTitle } from "../src/slack/views/answer.js";
import { ASSISTANT_ACTIONS, panelAnswerView } from "../src/slack/views/assistant.js";
import { replyView } from "../src/slack/views/overview.js";
import { validateBlocks } from "../test-support/fake-slack.js";

const CONTENT = fileURLToPath(new URL("../content", import.meta.url));
const library = loadLibrary(CONTENT, { baseUrl: "https://x.test/articles" });
const shipped = new Matcher(library);
/**
 * No confidence reaches 1.01, so every answer is a "closest" one, while off-topic questions stay
 * below 0.5. The trained model is the shipped one: only the lines move.
 */
const UNSURE = { minConfidence: 1.01, closestConfidence: 0.5 };
const unsure = new Matcher(library, UNSURE, shipped.model ?? undefined);

const QUESTION = "I now run three teams through their leads";
const OFF_TOPIC = "What is the best pizza topping?";

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: unknown[] };
const blocks = (view: { blocks: unknown }) => view.blocks as Block[];
const firstText = (view: { blocks: unknown }) => blocks(view)[0]?.text?.text ?? "";
const buttons = (view: { blocks: unknown }) =>
  blocks(view)
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements ?? []) as { action_id: string; text: { text: string } }[]);

function closestAnswer(): Answer & { section: Section } {
  const answer = answerQuestion(unsure, QUESTION);
  expect(answer.answer?.confidence).toBe("closest");
  expect(answer.section).not.toBeNull();
  expect(answer.alternatives.length).toBeGreaterThan(0);
  return answer as Answer & { section: Section };
}

describe("a closest answer", () => {
  it("is what the matcher gives between the two thresholds, with its alternative; off-topic stays no guidance", () => {
    const high = answerQuestion(shipped, QUESTION);
    expect(high.answer?.confidence).toBe("high");
    const closest = closestAnswer();
    expect(closest.section.id).toBe(high.section?.id);
    expect(closest.answer?.alternatives.map((a) => a.section)).toEqual(closest.alternatives.map((s) => s.id));
    expect(answerQuestion(unsure, OFF_TOPIC).answer).toBeNull();
  });

  it("stays closest when drawn again after feedback, and a section the person picked is high", () => {
    const closest = closestAnswer();
    expect(answerWithSection(unsure, QUESTION, closest.section).answer?.confidence).toBe("closest");
    const picked = closest.alternatives[0] as Section;
    expect(answerWithSection(unsure, QUESTION, picked).answer?.confidence).toBe("high");
    expect(answerWithSection(shipped, QUESTION, closest.section).answer?.confidence).toBe("high");
  });
});

describe("the answer card (Slack)", () => {
  it("opens a closest answer with the closest guidance and names its alternative, offered as a button", () => {
    const closest = closestAnswer();
    const view = replyView(library, closest, { buttons: true });
    const alternative = closest.alternatives[0] as Section;
    expect(firstText(view)).toMatch(
      /^\*The closest guidance I have:\* the article does not answer this exactly/,
    );
    expect(firstText(view)).toContain(`If it misses, try *${sectionTitle(alternative)}* below.`);
    expect(blocks(view)[1]?.text?.text).toMatch(/^🟩 \*Wide focus\* · /);
    expect(view.text.startsWith(`${CLOSEST_LEAD} Wide focus: `)).toBe(true);
    const ids = buttons(view).map((b) => b.action_id);
    expect(ids).toContain(ALSO_RELEVANT_ACTIONS[0]);
    expect(ids).toContain(ACTIONS.share);
    expect(validateBlocks(view.blocks, 50)).toEqual([]);
  });

  it("draws a high answer as before, without the closest lead", () => {
    const view = replyView(library, answerQuestion(shipped, QUESTION), { buttons: true });
    expect(firstText(view)).toMatch(/^🟩 \*Wide focus\* · /);
    expect(JSON.stringify(view)).not.toContain(CLOSEST_LEAD);
    expect(view.text).toMatch(/^Wide focus: /);
  });

  it("keeps the lead when shared, without the alternatives the channel cannot choose", () => {
    const closest = closestAnswer();
    const view = answerView(
      {
        section: closest.section,
        question: QUESTION,
        matchedWords: [],
        alternatives: [],
        answer: closest.answer,
      },
      { sharedBy: "U1" },
    );
    expect(firstText(view)).toMatch(/^\*The closest guidance I have:\*/);
    expect(firstText(view)).not.toContain("If it misses");
  });

  it("escapes the alternative's title in the lead and keeps it within Slack's limits", () => {
    const closest = closestAnswer();
    const hostile: Section = {
      ...closest.section,
      id: "hostile",
      level: null,
      heading: `<!channel> & <@U123> ${"long ".repeat(800)}`,
    };
    const view = answerView({ ...closest, alternatives: [hostile] });
    const lead = firstText(view);
    expect(lead).toContain("&lt;!channel&gt; &amp; &lt;@U123&gt;");
    expect(lead).not.toMatch(/<[!@]/);
    expect(lead.length).toBeLessThanOrEqual(3000);
    expect(validateBlocks(view.blocks, 50)).toEqual([]);
  });
});

describe("the assistant panel", () => {
  it("opens a closest answer the same way, with Also relevant, Other levels and native feedback", () => {
    const view = panelAnswerView(library, closestAnswer());
    expect(firstText(view)).toMatch(/^\*The closest guidance I have:\*/);
    const ids = buttons(view).map((b) => b.action_id);
    expect(ids).toContain(ALSO_RELEVANT_ACTIONS[0]);
    expect(ids).toContain(ACTIONS.otherLevels);
    expect(blocks(view).some((b) => b.type === "context_actions")).toBe(true);
    expect(JSON.stringify(view)).toContain(ASSISTANT_ACTIONS.feedback);
    expect(validateBlocks(view.blocks, 50)).toEqual([]);
    expect(JSON.stringify(panelAnswerView(library, answerQuestion(shipped, QUESTION)))).not.toContain(
      CLOSEST_LEAD,
    );
  });
});

describe("the playground", () => {
  const studio = new Studio({ contentDir: CONTENT, baseUrl: null, cacheDir: null, matcher: UNSURE });

  it("draws the closest lead from the app's own blocks", async () => {
    const { answer, view } = await studio.ask(QUESTION);
    expect(answer.answer?.confidence).toBe("closest");
    const html = blocksToHtml(view.blocks, { sender: "em-focus" });
    expect(html).toContain("<strong>The closest guidance I have:</strong> the article does not answer this");
    expect(html).toContain(`data-action-id="${ALSO_RELEVANT_ACTIONS[0]}"`);
    expect(html).not.toContain("bk-unknown");
  });

  it("says so in the explanation and in a shared preview", async () => {
    expect(explainHtml(studio, QUESTION)).toContain("as the closest guidance it has");
    const { view } = await studio.ask(QUESTION);
    const share = buttons(view).find((b) => b.action_id === ACTIONS.share) as unknown as { value: string };
    const preview = await studio.answerAction(ACTIONS.share, share.value);
    expect(firstText(preview.view)).toMatch(/^\*The closest guidance I have:\*/);
  });
});

describe("em-focus ask (text)", () => {
  it("opens a closest answer with the closest guidance and offers the alternative", () => {
    const closest = closestAnswer();
    const text = formatAnswer(closest, []);
    expect(text.startsWith(`${CLOSEST_LEAD} the article does not answer this exactly`)).toBe(true);
    expect(text).toContain(`If it misses, try: ${(closest.alternatives[0] as Section).heading}`);
    const high = formatAnswer(answerQuestion(shipped, QUESTION), []);
    expect(high.startsWith("Wide focus — ")).toBe(true);
    expect(high).not.toContain(CLOSEST_LEAD);
  });
});
