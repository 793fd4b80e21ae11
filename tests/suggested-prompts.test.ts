import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import matter from "gray-matter";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { loadLibrary } from "../src/content/load.js";
import { SUGGESTED_PROMPT_LIMITS } from "../src/content/suggested-prompts.js";

const CONTENT = fileURLToPath(new URL("../content", import.meta.url));

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function contentWith(frontMatter: string): string {
  const root = mkdtempSync(join(tmpdir(), "em-focus-suggested-"));
  roots.push(root);
  writeFileSync(join(root, "a.md"), `---\ntitle: A\n${frontMatter}\n---\n\nSome guidance for leaders.\n`);
  return root;
}

async function check(dir: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  stderr.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  stdin.end("");
  const code = await runCli(["content", "check"], { stdout, stderr, stdin }, { CONTENT_DIR: dir });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, out, err };
}

const prompt = (title: string, message: string) =>
  `  - title: ${JSON.stringify(title)}\n    message: ${JSON.stringify(message)}`;

describe("suggested prompts in front matter", () => {
  it("the repository's article suggests 3-4 prompts, each a title and a question", () => {
    const [article] = loadLibrary(CONTENT).articles;
    const prompts = article?.suggestedPrompts ?? [];
    expect(prompts.length).toBeGreaterThanOrEqual(3);
    expect(prompts.length).toBeLessThanOrEqual(SUGGESTED_PROMPT_LIMITS.count);
    for (const p of prompts) {
      expect(p.title.length).toBeGreaterThan(0);
      expect(p.message.length).toBeGreaterThan(0);
    }
  });

  it("content check lists them", async () => {
    const dir = contentWith(`suggested_prompts:\n${prompt("Miss coding", "I miss coding, go back?")}`);
    const { code, out } = await check(dir);
    expect(code).toBe(0);
    expect(out).toContain('  suggested prompts: "Miss coding"\n');
  });

  it.each([
    ["not a list", "suggested_prompts: hello", 'front matter "suggested_prompts" must be a list'],
    ["an entry that is not a mapping", "suggested_prompts:\n  - hello", "[0] must be a mapping"],
    ["an empty title", `suggested_prompts:\n${prompt("  ", "Why?")}`, "[0].title must be a non-empty string"],
    [
      "an empty message",
      `suggested_prompts:\n${prompt("Why", "")}`,
      "[0].message must be a non-empty string",
    ],
    ["a missing message", "suggested_prompts:\n  - title: Why", "[0].message must be a non-empty string"],
    [
      "a title that is too long",
      `suggested_prompts:\n${prompt("t".repeat(SUGGESTED_PROMPT_LIMITS.title + 1), "Why?")}`,
      `[0].title is ${SUGGESTED_PROMPT_LIMITS.title + 1} characters; at most ${SUGGESTED_PROMPT_LIMITS.title}`,
    ],
    [
      "a message that is too long",
      `suggested_prompts:\n${prompt("Why", "m".repeat(SUGGESTED_PROMPT_LIMITS.message + 1))}`,
      `[0].message is ${SUGGESTED_PROMPT_LIMITS.message + 1} characters; at most`,
    ],
    [
      "more prompts than Slack allows",
      `suggested_prompts:\n${Array.from({ length: 5 }, (_, i) => prompt(`T${i}`, `Q${i}?`)).join("\n")}`,
      "has 5 entries; Slack shows at most 4",
    ],
    [
      "an unknown key",
      "suggested_prompts:\n  - title: Why\n    message: Why?\n    emoji: x",
      "[0] has unknown key(s): emoji",
    ],
  ])("content check rejects %s", async (_name, frontMatter, reason) => {
    const { code, out, err } = await check(contentWith(frontMatter));
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain("a.md: ");
    expect(err).toContain(reason);
    expect(err).not.toMatch(/^\s+at /m);
  });
});

describe("manifest.yml and agent messaging", () => {
  // gray-matter is how the project reads YAML; the manifest is wrapped as front matter to use it.
  const manifest = matter(
    `---\n${readFileSync(fileURLToPath(new URL("../manifest.yml", import.meta.url)), "utf8")}\n---\n`,
  ).data as {
    features: { agent_view?: { agent_description?: string }; assistant_view?: unknown };
    oauth_config: { scopes: { bot: string[] } };
    settings: { event_subscriptions: { bot_events: string[] } };
  };

  // Issue 19, item 8: new apps get agent_view (assistant_view is legacy); the prompts come from the
  // content through the API, so the manifest carries none to drift from it.
  it("turns on the Agent messaging experience with a description, not the legacy panel", () => {
    expect(manifest.features.agent_view?.agent_description).toMatch(/\w/);
    expect(manifest.features.assistant_view).toBeUndefined();
  });

  it("asks for agent messaging's scope and events, and not the legacy panel's events", () => {
    expect(manifest.oauth_config.scopes.bot).toContain("assistant:write");
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["chat:write", "im:history"]));
    const events = manifest.settings.event_subscriptions.bot_events;
    expect(events).toEqual(expect.arrayContaining(["app_home_opened", "message.im"]));
    expect(events).not.toContain("assistant_thread_started");
  });
});
