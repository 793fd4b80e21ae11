import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTICLE_SLUG, startTestBot, type TestBot, visibleText } from "./helpers/bot.js";
import { sendCommand } from "./helpers/slack-requests.js";

const PUBLIC_URL = "https://em-focus.example.test";
const SECTION_IDS = [
  "narrow",
  "wide",
  "ic",
  "engineering-management-is-not-a-promotion",
  "going-back-to-building",
  "focus-levels",
  "onboarding-takes-two-years",
  "giving-up-the-vp-path",
  "levels-of-engineering-management-focus",
];

describe("custom routes: /healthz and /articles/:slug", () => {
  let t: TestBot;

  beforeAll(async () => {
    // No CONTENT_BASE_URL: answers then link to the app's own article pages under PUBLIC_URL.
    t = await startTestBot({ env: { PUBLIC_URL, CONTENT_BASE_URL: undefined } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("/healthz reports content counts and a working store", async () => {
    const response = await fetch(`${t.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: true,
      content: { articles: 1, sections: SECTION_IDS.length },
      store: { ok: true, dialect: "sqlite" },
    });
    // Health checks must not need a Slack signature, and must not touch Slack.
    expect(t.fake.calls.filter((call) => call.method !== "auth.test")).toEqual([]);
  });

  it("/healthz only answers GET", async () => {
    const response = await fetch(`${t.url}/healthz`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
  });

  it("serves the article as HTML with an anchor for every section", async () => {
    const response = await fetch(`${t.url}/articles/${ARTICLE_SLUG}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("<title>Levels of Engineering (Management) Focus</title>");
    for (const id of SECTION_IDS) expect(html).toContain(`id="${id}"`);
    expect(html).not.toContain("<script");
  });

  it("links answers to that page, and the link's anchor exists there", async () => {
    const answer = await sendCommand(t.target, { text: "I miss coding, should I go back?" });
    expect(answer.status).toBe(200);
    const link = /From <(https:\/\/[^|>]+)\|Levels of Engineering \(Management\) Focus>/.exec(
      visibleText(answer.json),
    )?.[1];
    expect(link).toBe(`${PUBLIC_URL}/articles/${ARTICLE_SLUG}#ic`);
    const url = new URL(link ?? "");
    const page = await fetch(`${t.url}${url.pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`id="${url.hash.slice(1)}"`);
  });

  it.each([
    "/articles/no-such-article",
    "/articles/..%2F..%2Fpackage.json",
    "/articles/%2e%2e",
    `/articles/${ARTICLE_SLUG.toUpperCase()}`,
    "/articles/",
  ])("answers 404 for %s", async (path) => {
    const response = await fetch(`${t.url}${path}`);
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).not.toContain('"name": "em-focus"');
  });
});
