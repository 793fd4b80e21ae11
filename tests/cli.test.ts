import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { TWO_SECTIONS } from "../test-support/questions.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONTENT = join(ROOT, "content");
const ENV: NodeJS.ProcessEnv = { CONTENT_DIR: CONTENT };
const SLUG = "levels-of-engineering-management-focus";

const tempRoots: string[] = [];
afterAll(() => {
  for (const root of tempRoots) rmSync(root, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = ENV, input = "", tty = false): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), tty ? { isTTY: true } : {});
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  stderr.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  stdin.end(input);
  const code = await runCli(argv, { stdout, stderr, stdin }, env);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, out, err };
}

const SECTION_KEYS = ["article", "heading", "level", "score", "section", "text", "url"];
const ANSWER_KEYS = ["alternatives", "confidence", ...SECTION_KEYS].sort();

/** Parses one `ask --json` line and checks the contract: exact keys, right types. */
function parseLine(line: string): { question: string; answer: Record<string, unknown> | null } {
  const value = JSON.parse(line) as { question: string; answer: Record<string, unknown> | null };
  expect(Object.keys(value).sort()).toEqual(["answer", "question"]);
  expect(typeof value.question).toBe("string");
  if (value.answer !== null) {
    const a = value.answer;
    expect(Object.keys(a).sort()).toEqual(ANSWER_KEYS);
    for (const key of ["article", "section", "heading", "text"]) {
      expect(typeof a[key]).toBe("string");
      expect(a[key]).not.toBe("");
    }
    expect([null, "narrow", "wide", "ic"]).toContain(a.level);
    expect(a.url === null || typeof a.url === "string").toBe(true);
    expect(typeof a.score).toBe("number");
    expect(Number.isFinite(a.score)).toBe(true);
    expect(a.score as number).toBeGreaterThan(0);
    expect(a.score as number).toBeLessThanOrEqual(1);
    expect(["high", "closest"]).toContain(a.confidence);
    const alternatives = a.alternatives as Record<string, unknown>[];
    expect(Array.isArray(alternatives)).toBe(true);
    expect(alternatives.length).toBeLessThanOrEqual(2);
    for (const alternative of alternatives) {
      expect(Object.keys(alternative).sort()).toEqual(SECTION_KEYS);
      expect(alternative.section).not.toBe(a.section);
      expect(alternative.score as number).toBeLessThanOrEqual(a.score as number);
    }
  }
  return value;
}

function brokenContent(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "em-focus-cli-"));
  tempRoots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe("ask --json", () => {
  it("prints exactly one line with the answer's fields", async () => {
    const { code, out, err } = await run(["ask", "--json", "I miss coding, should I go back?"]);
    expect(code).toBe(0);
    expect(err).toBe("");
    expect(out.endsWith("\n")).toBe(true);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const value = parseLine(lines[0] ?? "");
    expect(value.question).toBe("I miss coding, should I go back?");
    expect(value.answer).toMatchObject({
      article: SLUG,
      section: "ic",
      level: "ic",
      heading: "IC",
      url: null,
      confidence: "high",
    });
    expect(out).toContain('"confidence":"high"');
    expect(value.answer?.text).toMatch(/^\*\*IC: there's nothing stopping you/);
  });

  it("joins several arguments into one question", async () => {
    const { out } = await run([
      "ask",
      "--json",
      "I",
      "now",
      "run",
      "three",
      "teams",
      "through",
      "their",
      "leads",
    ]);
    const value = parseLine(out.trim());
    expect(value.question).toBe("I now run three teams through their leads");
    expect(value.answer?.section).toBe("wide");
    expect(value.answer?.level).toBe("wide");
  });

  it("links the section when a base URL is configured", async () => {
    const { out } = await run(["ask", "--json", "promotion?"], {
      ...ENV,
      CONTENT_BASE_URL: "https://x.test/articles/",
    });
    const value = parseLine(out.trim());
    expect(value.answer?.section).toBe("engineering-management-is-not-a-promotion");
    expect(value.answer?.level).toBeNull();
    expect(value.answer?.url).toBe(
      `https://x.test/articles/${SLUG}#engineering-management-is-not-a-promotion`,
    );
  });

  it("lists a close second section under alternatives, and none when the answer is clear", async () => {
    const two = parseLine((await run(["ask", "--json", TWO_SECTIONS])).out.trim());
    const alternatives = two.answer?.alternatives as Record<string, unknown>[];
    expect(two.answer?.section).toBe("ic");
    expect(alternatives.map((a) => a.section)).toEqual(["giving-up-the-vp-path"]);
    expect(alternatives[0]).toMatchObject({
      article: "levels-of-engineering-management-focus",
      level: null,
      heading: "Going back to IC means giving up the VP path",
    });
    expect(String(alternatives[0]?.text)).toContain("giving away becoming a VP");
    const clear = parseLine(
      (await run(["ask", "--json", "how do I run good 1:1s with my reports"])).out.trim(),
    );
    expect(clear.answer?.alternatives).toEqual([]);
    const text = await run(["ask", TWO_SECTIONS]);
    expect(text.out).toMatch(/^Also relevant: Going back to IC means giving up the VP path/m);
  });

  it("gives answer null for an off-topic question", async () => {
    const { code, out } = await run(["ask", "--json", "how do I set up kubernetes ingress"]);
    expect(code).toBe(0);
    expect(out).toBe('{"question":"how do I set up kubernetes ingress","answer":null}\n');
    expect(parseLine(out.trim()).answer).toBeNull();
  });

  it("reads one question per stdin line and answers in order, skipping blank lines", async () => {
    const input = "I miss coding\r\nhow do I set up kubernetes ingress\n\n   \npromotion?";
    const { code, out } = await run(["ask", "--json"], ENV, input);
    expect(code).toBe(0);
    const values = out.trimEnd().split("\n").map(parseLine);
    expect(values.map((v) => [v.question, v.answer?.section ?? null])).toEqual([
      ["I miss coding", "ic"],
      ["how do I set up kubernetes ingress", null],
      ["promotion?", "engineering-management-is-not-a-promotion"],
    ]);
  });

  it("prints nothing for empty stdin", async () => {
    const { code, out } = await run(["ask", "--json"], ENV, "");
    expect(code).toBe(0);
    expect(out).toBe("");
  });
});

describe("ask (text)", () => {
  it("shows the level, the section text, the link and why", async () => {
    const { code, out } = await run(["ask", "I miss coding, should I go back?"], {
      ...ENV,
      CONTENT_BASE_URL: "https://x.test/articles",
    });
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^IC focus — Hyper-focus on one narrow/);
    expect(out).toContain(
      "IC: there's nothing stopping you from hyper-focusing on a narrow, specific problem as an individual software engineer.",
    );
    expect(out).not.toContain("**");
    expect(out).toContain(`Read more: https://x.test/articles/${SLUG}#ic`);
    expect(out).toMatch(/^Why: matched .*"coding".* \(confidence \d+%\)$/m);
  });

  it("uses the heading when the section has no level", async () => {
    const { out } = await run(["ask", "how long does onboarding take"]);
    expect(out.split("\n")[0]).toBe("Onboarding takes about two years");
    expect(out).toContain("you would need about two years at a single gig");
    expect(out).not.toContain("Read more:");
    expect(out).toContain("Why: matched");
  });

  it("explains what the article covers for an off-topic question", async () => {
    const { code, out } = await run(["ask", "what's a good laptop"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^The article has no guidance on that\./);
    expect(out).toContain("Narrow");
  });

  it("asks for words when the question is empty", async () => {
    const { code, out } = await run(["ask", ":wave:"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Ask a question in words/);
  });

  it("needs a question at a terminal without --json", async () => {
    const { code, out, err } = await run(["ask"], ENV, "", true);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain("ask needs a question");
    expect(err).toContain("Usage:");
  });

  it("answers piped questions without --json, one paragraph each, skipping blank lines (issue 21, item 7)", async () => {
    const { code, out, err } = await run(["ask"], ENV, "q\n\n  \nI miss coding\n");
    expect(code).toBe(0);
    expect(err).toBe("");
    const answers = out.split(/\n\n(?=The article has no guidance|IC focus)/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^The article has no guidance on that\./);
    expect(answers[1]).toMatch(/^IC focus — /);
  });

  it.each([
    ["--jsonn", "--json"],
    ["--jsno", "--json"],
    ["--JSON", "--json"],
  ])("names the option a mistyped %s most likely meant (issue 21, item 7)", async (typed, meant) => {
    const { code, out, err } = await run(["ask", typed, "q"]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(`em-focus: unknown option "${typed}"; did you mean ${meant}?`);
    expect(err).not.toMatch(/ERR_PARSE_ARGS|TypeError/);
    expect(err).toContain("Usage:");
  });

  it("says where the guidance comes from: the article's title, without a link when none is set (issue 21, item 3)", async () => {
    const { out } = await run(["ask", "I miss coding, should I go back?"]);
    expect(out).toContain("From: Levels of Engineering (Management) Focus");
    expect(out).not.toContain("Read more:");
  });

  it("names at most six words as the reason, as the Slack card does, however long the message", async () => {
    const { out } = await run([
      "ask",
      "I was promoted to team lead eight months ago and honestly I hate it. I miss writing code every day and I feel like I'm bad at the people stuff. Is it normal to want to go back? Would stepping down hurt my career?",
    ]);
    const why = out.split("\n").find((line) => line.startsWith("Why: matched"));
    expect(why).toBeDefined();
    expect(why?.match(/"[^"]+"/g)?.length).toBe(6);
  });

  it("answers a comparison of levels with the three levels, one a line (issue 21, item 2)", async () => {
    const { out } = await run(["ask", "narrow vs wide"]);
    expect(out).toMatch(/^The levels of focus$/m);
    expect(out).toMatch(/^- Narrow: focus on supporting and growing your team/m);
    expect(out).toMatch(/^- Wide: as you become a senior engineering manager/m);
    expect(out).toMatch(/^- IC: there's nothing stopping you/m);
  });
});

describe("content check", () => {
  it("lists articles, sections and levels, and exits 0", async () => {
    const { code, out, err } = await run(["content", "check"]);
    expect(code).toBe(0);
    expect(err).toBe("");
    expect(out).toContain(
      `${SLUG}.md: "Levels of Engineering (Management) Focus" (${SLUG}), 9 sections; levels: narrow=narrow, wide=wide, ic=ic`,
    );
    for (const id of ["narrow", "wide", "ic", "giving-up-the-vp-path"])
      expect(out).toMatch(new RegExp(`^  #${id} `, "m"));
    expect(out).toMatch(/^prompts\/: 19 reflection prompts \(/m);
    expect(out).toMatch(/^examples\.jsonl: \d+ labelled questions \(.*no guidance \d+/m);
    expect(out).toMatch(/^ {2}#focus-levels {2}The levels of focus \(overview\) /m);
    expect(out.trimEnd().split("\n").at(-1)).toBe("ok: 1 article(s), 9 sections");
  });

  it("exits 1 with file: reason and no stack trace for broken content", async () => {
    const dir = brokenContent({
      "good.md": "---\ntitle: Good\n---\nFine.\n",
      "bad.md": "---\nexcerpt: x\n---\nText.\n",
    });
    const { code, out, err } = await run(["content", "check"], { CONTENT_DIR: dir });
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe('em-focus: bad.md: front matter has no "title"\n');
    expect(err).not.toMatch(/^\s+at /m);
  });

  it("exits 1 for a broken prompt", async () => {
    const dir = brokenContent({
      "a.md": "---\ntitle: A\n---\nFine.\n",
      "prompts/p.md": "---\norder: 1\nlevel: senior\n---\nWhat?\n",
    });
    const { code, err } = await run(["content", "check"], { CONTENT_DIR: dir });
    expect(code).toBe(1);
    expect(err).toContain(`${join(dir, "prompts", "p.md")}: bad level "senior"`);
    expect(err).not.toMatch(/^\s+at /m);
  });

  it("exits 1 when the content folder is missing", async () => {
    const { code, err } = await run(["content", "check"], {
      CONTENT_DIR: join(tmpdir(), "em-focus-missing-91c"),
    });
    expect(code).toBe(1);
    expect(err).toContain("content folder not found");
    expect(err).not.toMatch(/^\s+at /m);
  });

  it("rejects a misspelt subcommand", async () => {
    const { code, err } = await run(["content", "chekc"]);
    expect(code).toBe(2);
    expect(err).toContain('did you mean "em-focus content check"?');
  });
});

describe("commands", () => {
  it("exits 2 with usage for an unknown command", async () => {
    const { code, out, err } = await run(["bogus"]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain('unknown command "bogus"');
    expect(err).toContain("Usage:");
    expect(err).toContain("em-focus content check");
  });

  it("prints usage with no command (exit 2) and for help (exit 0)", async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.out).toContain("Usage:");
    const help = await run(["help"]);
    expect(help.code).toBe(0);
    expect(help.out).toBe(none.out);
  });

  it("prints its version for --version, -V and version (issue 21, item 7)", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    for (const arg of ["--version", "-V", "version"]) {
      const { code, out, err } = await run([arg]);
      expect(code).toBe(0);
      expect(err).toBe("");
      expect(out).toBe(`em-focus ${version}\n`);
    }
    const typo = await run(["--verison"]);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('unknown option "--verison"; did you mean --version?');
  });

  it("prompts deliver --help says what it needs (issue 21, item 7)", async () => {
    const { code, out } = await run(["prompts", "deliver", "--help"]);
    expect(code).toBe(0);
    for (const needed of ["SLACK_BOT_TOKEN", "DATABASE_URL", "CONTENT_DIR", "--now"])
      expect(out).toContain(needed);
    const typo = await run(["prompts", "deliver", "--nwo", "2026-03-09T09:00:00Z"]);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("did you mean --now?");
  });

  it("exits 1 with the settings problem for bad configuration", async () => {
    const { code, err } = await run(["ask", "q"], { ...ENV, LOG_LEVEL: "loud" });
    expect(code).toBe(1);
    expect(err).toContain("LOG_LEVEL");
    expect(err).not.toMatch(/^\s+at /m);
  });
});
