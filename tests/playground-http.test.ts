import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/log.js";
import { type PlaygroundServer, startPlaygroundServer } from "../src/playground/server.js";
import { Studio } from "../src/playground/studio.js";

let dir: string;
let server: PlaygroundServer;
let studio: Studio;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, server.url), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "em-focus-playground-"));
  cpSync("content", dir, { recursive: true });
  studio = new Studio({ contentDir: dir, baseUrl: null, cacheDir: null });
  server = await startPlaygroundServer(studio, createLogger("error"), { host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the playground over HTTP", () => {
  it("answers a question with the answer card and its level", async () => {
    const { status, body } = await post("/api/ask", {
      question: "I now run three teams through their leads",
    });
    expect(status).toBe(200);
    expect(body.level).toBe("wide");
    expect(body.html).toContain("Wide focus");
    expect(body.html).toContain('data-action-id="answer_other_levels"');
  });

  it("shows hostile questions as text: 40,000 characters, markup, mentions and emoji", async () => {
    const question = `<script>alert(1)</script> <!channel> 🎉 ${"x".repeat(39_900)}`;
    const { status, body } = await post("/api/ask", { question });
    expect(status).toBe(200);
    const html = String(body.html);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("🎉");
    expect(html).not.toMatch(/<!channel>/);
  });

  it("refuses bodies that are too big, not JSON, not an object, or of the wrong shape", async () => {
    expect((await post("/api/ask", { question: "x".repeat(300_000) })).status).toBe(413);
    expect((await post("/api/ask", "{not json")).status).toBe(400);
    expect((await post("/api/ask", "[1]")).status).toBe(400);
    expect((await post("/api/ask", { question: 42 })).status).toBe(400);
    expect((await post("/api/ask", { question: "y".repeat(40_001) })).status).toBe(400);
    const form = await fetch(new URL("/api/ask", server.url), { method: "POST", body: "question=x" });
    expect(form.status).toBe(415);
    expect((await post("/api/action", { action_id: "answer_share", value: "{]" })).status).toBe(200);
    expect((await post("/api/action", { action_id: "nope", value: "week-0" })).status).toBe(400);
  });

  it("refuses other origins and other host names (no DNS rebinding)", async () => {
    expect((await post("/api/ask", { question: "hi" }, { origin: "https://evil.example" })).status).toBe(403);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL("/", server.url), { headers: { host: "evil.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it("sends a CSP that forbids inline scripts and other origins on every answer", async () => {
    for (const path of ["/", "/app.js", "/style.css", "/api/content", "/missing"]) {
      const response = await fetch(new URL(path, server.url));
      await response.arrayBuffer();
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      );
    }
    const page = await (await fetch(server.url)).text();
    expect(page).not.toMatch(/<script>|<style>|\son\w+=|https?:\/\//);
  });

  it("walks weeks of prompts: answer, note, next week, and the Home chart fills in", async () => {
    const first = (await (await fetch(new URL("/api/prompts", server.url))).json()) as Record<string, string>;
    expect(first.home).not.toContain("Your last");
    const value = /data-value="(week-\d+)"/.exec(first.html ?? "")?.[1];
    expect(value).toBe("week-0");
    expect((await post("/api/action", { action_id: "prompt_answer_wide", value })).body.html).toContain(
      "You answered <strong>Mostly Wide</strong>",
    );
    expect((await post("/api/note", { note: "three 1:1s with leads" })).status).toBe(200);
    await post("/api/next-week", {});
    const second = (await (await fetch(new URL("/api/prompts", server.url))).json()) as Record<
      string,
      string
    >;
    expect(second.html).toContain('data-value="week-1"');
    // The chart starts at the first prompt: two weeks so far.
    expect(second.home).toContain("Your last 2 weeks");
    expect(second.home).toContain("three 1:1s with leads");
    expect(second.home).toContain("Wide 1");
    // An old week's button no longer answers.
    expect((await post("/api/action", { action_id: "prompt_answer_ic", value: "week-0" })).status).toBe(400);
  });

  it("explains a match, and picks up edited content on reload, showing content problems", async () => {
    const explained = await post("/api/explain", { question: "I miss coding" });
    expect(explained.body.html).toContain("✓ answer");
    expect(explained.body.html).toContain("coding");
    const file = join(dir, "levels-of-engineering-management-focus.md");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original.replace(/^title:.*$/m, "title: Edited in the playground test"));
    const reloaded = (await (await fetch(new URL("/api/content", server.url))).json()) as Record<
      string,
      string
    >;
    expect(reloaded.html).toContain("Edited in the playground test");
    writeFileSync(file, original.replace(/^title:.*$/m, "title:"));
    const broken = (await post("/api/reload", {})).body;
    expect(broken.problems).toContain("Content check found a problem");
    expect(broken.html).toContain("Edited in the playground test");
    writeFileSync(file, original);
    expect((await post("/api/reload", {})).body.problems).toContain("no problems");
  });

  it("fills the composer's placeholder from the library's suggested prompts, or neutral words without any", async () => {
    const placeholder = async () => {
      const page = await (await fetch(server.url)).text();
      return /<textarea id="question"[^>]*placeholder="([^"]*)"/.exec(page)?.[1];
    };
    const first = studio.library.articles[0]?.suggestedPrompts?.[0]?.message;
    expect(first).toBeTruthy();
    expect(await placeholder()).toBe(`/em-focus ${first}`);
    const file = join(dir, "levels-of-engineering-management-focus.md");
    const original = readFileSync(file, "utf8");
    try {
      writeFileSync(file, original.replace(`message: ${first}`, `message: 'Teams & "leads" <now>?'`));
      expect(await placeholder()).toBe("/em-focus Teams &amp; &quot;leads&quot; &lt;now&gt;?");
      writeFileSync(file, original.replace(/^suggested_prompts:\n(?: {2}.*\n)+/m, ""));
      expect(await placeholder()).toBe("Ask a question, as you would with /em-focus");
    } finally {
      writeFileSync(file, original);
    }
    expect(await placeholder()).toBe(`/em-focus ${first}`);
  });
});
