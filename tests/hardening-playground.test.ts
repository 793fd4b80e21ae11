import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningBot, startBot } from "../src/bot.js";
import { ConfigError } from "../src/config.js";
import { CONTENT_DIR } from "./helpers/bot.js";

/** Issue 17, items 5, 6 (GET routes) and 12: the playground stays on this machine and this origin. */

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `npm start` without any Slack setting, as a person runs it. */
function playgroundEnv(extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "em-focus-playground-host-"));
  dirs.push(dir);
  return { PORT: "0", CONTENT_DIR, DATABASE_URL: join(dir, "db.sqlite"), LOG_LEVEL: "warn", ...extra };
}

/** A GET or POST with exactly these headers (fetch would add or refuse some). */
function raw(
  url: string,
  path: string,
  headers: Record<string, string>,
  method = "GET",
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method, headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => {
        text += String(chunk);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("where the playground listens (item 5)", () => {
  let bot: RunningBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    vi.restoreAllMocks();
  });

  it("binds loopback even with HOST=0.0.0.0", async () => {
    bot = await startBot(playgroundEnv({ HOST: "0.0.0.0" }));
    expect(bot.mode).toBe("playground");
    expect(bot.playgroundUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it.each(["Production", "prod", "PROD"])(
    "NODE_ENV=%s without Slack settings is production: it refuses to start instead of serving the playground",
    async (value) => {
      await expect(startBot(playgroundEnv({ NODE_ENV: value, HOST: "0.0.0.0" }))).rejects.toBeInstanceOf(
        ConfigError,
      );
    },
  );

  it("binds where PLAYGROUND_HOST says, with a warning that it is reachable beyond this machine", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    bot = await startBot(playgroundEnv({ PLAYGROUND_HOST: "0.0.0.0" }));
    expect(bot.playgroundUrl).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    const warned = errors.mock.calls.map((call) => call.join(" ")).join("\n");
    expect(warned).toContain("[WARN]");
    expect(warned).toContain("PLAYGROUND_HOST=0.0.0.0");
    expect(warned).toContain("no login");
  });

  it("says nothing when PLAYGROUND_HOST is loopback", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    bot = await startBot(playgroundEnv({ PLAYGROUND_HOST: "127.0.0.1" }));
    expect(errors.mock.calls.map((call) => call.join(" ")).join("\n")).not.toContain("PLAYGROUND_HOST");
  });
});

describe("the playground takes requests from its own origin only (items 6 and 12)", () => {
  let bot: RunningBot;
  let url: string;
  let port: number;

  beforeAll(async () => {
    bot = await startBot(playgroundEnv());
    url = bot.playgroundUrl ?? "";
    port = Number(new URL(url).port);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  const ask = (headers: Record<string, string>) =>
    raw(url, "/api/ask", { "content-type": "application/json", ...headers }, "POST", '{"question":"hi"}');

  it("refuses an Origin on another port of the same host (item 12)", async () => {
    expect((await ask({ origin: "http://localhost:9999" })).status).toBe(403);
    expect((await ask({ origin: "http://127.0.0.1:9999" })).status).toBe(403);
    expect((await ask({ origin: `https://127.0.0.1:${port}` })).status).toBe(403);
    expect((await ask({ origin: "null" })).status).toBe(403);
    // Its own origin, by each of its names, is served.
    expect((await ask({ origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await ask({ origin: `http://localhost:${port}`, host: `localhost:${port}` })).status).toBe(200);
  });

  it("refuses a Host header naming another port (item 12)", async () => {
    expect((await raw(url, "/api/gaps", { host: "localhost:9999" })).status).toBe(421);
    expect((await raw(url, "/api/gaps", { host: `localhost:${port}` })).status).toBe(200);
  });

  it.each(["/api/gaps", "/api/content", "/api/prompts"])(
    "refuses a cross-site GET of %s, by Sec-Fetch-Site or Origin (item 6)",
    async (path) => {
      const crossSite = await raw(url, path, { "sec-fetch-site": "cross-site" });
      expect(crossSite).toEqual({ status: 403, body: '{"error":"cross-origin request refused"}' });
      expect((await raw(url, path, { "sec-fetch-site": "same-site" })).status).toBe(403);
      expect((await raw(url, path, { origin: "http://evil.example" })).status).toBe(403);
      // The page's own requests, and tools without those headers, are served.
      expect((await raw(url, path, { "sec-fetch-site": "same-origin" })).status).toBe(200);
      expect((await raw(url, path, {})).status).toBe(200);
    },
  );

  it("still serves the page itself to a navigation from elsewhere (a link someone clicked)", async () => {
    expect((await raw(url, "/", { "sec-fetch-site": "cross-site" })).status).toBe(200);
  });
});
