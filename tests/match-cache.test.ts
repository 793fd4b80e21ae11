import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ContentError } from "../src/content/errors.js";
import { loadLibrary } from "../src/content/load.js";
import type { Library } from "../src/content/types.js";
import { Classifier } from "../src/match/classifier.js";
import { Matcher } from "../src/match/matcher.js";
import { loadMatcher, matcherCodeHash } from "../src/match/model-cache.js";

const CONTENT = fileURLToPath(new URL("../content", import.meta.url));
const library = loadLibrary(CONTENT);
const QUESTIONS = [
  "I miss coding, should I go back?",
  "3 teams now, help",
  "Will I ever be a CTO if I go back to IC",
  "which level of the parking garage is reserved",
  "gist?",
];
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
function cacheDir(): string {
  const root = mkdtempSync(join(tmpdir(), "em-focus-cache-"));
  roots.push(root);
  return join(root, "cache");
}
const files = (dir: string) => readdirSync(dir).filter((name) => name.startsWith("matcher-"));
const rankings = (matcher: Matcher) => QUESTIONS.map((q) => matcher.rank(q, 9));

describe("trained models kept between starts", () => {
  const fresh = new Matcher(library);

  it("trains and saves on the first start, and restores the same model on the next", () => {
    const dir = cacheDir();
    const first = loadMatcher(library, {}, dir);
    expect(files(dir)).toHaveLength(1);
    const saved = readFileSync(join(dir, files(dir)[0] as string), "utf8");
    const second = loadMatcher(library, {}, dir);
    expect(readFileSync(join(dir, files(dir)[0] as string), "utf8")).toBe(saved);
    expect(rankings(first)).toEqual(rankings(fresh));
    expect(rankings(second)).toEqual(rankings(fresh));
  });

  it("trains afresh when the content, the examples or the options change", () => {
    const dir = cacheDir();
    loadMatcher(library, {}, dir);
    const [before] = files(dir);
    const changed: Library = {
      ...library,
      sections: library.sections.map((s) =>
        s.id === "wide" ? { ...s, aliases: [...s.aliases, "band of brothers"] } : s,
      ),
    };
    loadMatcher(changed, {}, dir);
    expect(files(dir)).toHaveLength(2);
    expect(files(dir)).toContain(before);
    loadMatcher({ ...library, examples: library.examples.slice(1) }, {}, dir);
    expect(files(dir)).toHaveLength(3);
    loadMatcher(library, { l2: 1e-3 }, dir);
    expect(files(dir)).toHaveLength(4);
  });

  it("keeps the eight most recently used models: the bot, the tests and another branch do not evict each other", () => {
    const dir = cacheDir();
    loadMatcher(library, {}, dir);
    const [current] = files(dir) as [string];
    // Ten older models, each last used a minute before the next.
    mkdirSync(dir, { recursive: true });
    const old = Array.from({ length: 10 }, (_, i) => `matcher-old${String(i).padStart(2, "0")}.json`);
    old.forEach((name, i) => {
      writeFileSync(join(dir, name), "{}");
      const used = new Date(Date.now() - (20 - i) * 60_000);
      utimesSync(join(dir, name), used, used);
    });
    // Using the current model marks it; then a new library's model is written, and the folder pruned.
    const currentUsed = new Date(Date.now() - 30 * 60_000);
    utimesSync(join(dir, current), currentUsed, currentUsed);
    loadMatcher(library, {}, dir);
    loadMatcher({ ...library, examples: library.examples.slice(2) }, {}, dir);
    const kept = files(dir);
    expect(kept).toHaveLength(8);
    expect(kept).toContain(current);
    // The newest six of the old ones stay, the four least recently used went.
    expect(kept.filter((name) => name.includes("old")).sort()).toEqual(old.slice(4));
  });

  it("serves other decision thresholds from the same model, deciding with the thresholds given", () => {
    const dir = cacheDir();
    loadMatcher(library, {}, dir);
    const [saved] = files(dir);
    const file = join(dir, saved as string);
    const model = readFileSync(file, "utf8");
    const unsure = loadMatcher(
      library,
      { minConfidence: 1.01, closestConfidence: 0.5, alternativeShare: 0.3 },
      dir,
    );
    expect(files(dir)).toEqual([saved]);
    expect(readFileSync(file, "utf8")).toBe(model);
    expect(unsure.options).toMatchObject({
      minConfidence: 1.01,
      closestConfidence: 0.5,
      alternativeShare: 0.3,
    });
    expect(unsure.decide("I miss coding, should I go back?")?.confidence).toBe("closest");
  });

  it("retrains over a corrupt or foreign file instead of failing", () => {
    const dir = cacheDir();
    loadMatcher(library, {}, dir);
    const file = join(dir, files(dir)[0] as string);
    const good = readFileSync(file);
    const length = good.readUInt32LE(0);
    const withLength = (n: number) => {
      const copy = Buffer.from(good);
      copy.writeUInt32LE(n, 0);
      return copy;
    };
    for (const junk of [
      Buffer.from("{not json"),
      Buffer.alloc(0),
      Buffer.from("null"),
      Buffer.from(JSON.stringify({ format: 1, classifier: { classes: 3 }, known: [], levels: [] })),
      withLength(length + 1_000_000_000),
      withLength(length - 3),
      good.subarray(0, good.byteLength - 8),
      good.subarray(0, good.byteLength - 3),
    ]) {
      writeFileSync(file, junk);
      expect(rankings(loadMatcher(library, {}, dir))).toEqual(rankings(fresh));
      expect(readFileSync(file).equals(junk)).toBe(false);
    }
  });

  it("works when the cache cannot be written", () => {
    const root = mkdtempSync(join(tmpdir(), "em-focus-cache-"));
    roots.push(root);
    const blocked = join(root, "a-file");
    writeFileSync(blocked, "not a folder");
    expect(rankings(loadMatcher(library, {}, join(blocked, "cache")))).toEqual(rankings(fresh));
    expect(rankings(loadMatcher(library, {}, null))).toEqual(rankings(fresh));
  });

  it("knows a library read from disk by its examples file's bytes: a lazy start restores the model without parsing them", () => {
    const content = join(mkdtempSync(join(tmpdir(), "em-focus-content-")), "content");
    roots.push(dirname(content));
    cpSync(CONTENT, content, { recursive: true });
    const dir = cacheDir();
    // The build's warm-up (the CLI) reads the library eagerly and trains; the bot reads it lazily.
    loadMatcher(loadLibrary(content), {}, dir);
    expect(files(dir)).toHaveLength(1);
    const lazy = loadLibrary(content, { lazyExamples: true });
    Object.defineProperty(lazy, "examples", {
      get() {
        throw new Error("the examples were parsed");
      },
    });
    const restored = loadMatcher(lazy, {}, dir);
    expect(files(dir)).toHaveLength(1);
    expect(rankings(restored)).toEqual(rankings(fresh));
    // New bytes (one more example) are a new model; a file that does not parse still fails the start.
    const examples = join(content, "examples.jsonl");
    writeFileSync(
      examples,
      `${readFileSync(examples, "utf8")}{"question": "how do I pick my focus this quarter", "section": "wide"}\n`,
    );
    loadMatcher(loadLibrary(content, { lazyExamples: true }), {}, dir);
    expect(files(dir)).toHaveLength(2);
    writeFileSync(
      examples,
      `${readFileSync(examples, "utf8")}{"question": "no section", "section": "nope"}\n`,
    );
    const broken = loadLibrary(content, { lazyExamples: true });
    expect(() => loadMatcher(broken, {}, dir)).toThrow(ContentError);
    expect(() => loadMatcher(broken, {}, dir)).toThrow(/no section has the id "nope"/);
    expect(files(dir)).toHaveLength(2);
  });

  it("a copy of a library with other examples is not taken for the file it was read from", () => {
    const dir = cacheDir();
    const fromDisk = loadLibrary(CONTENT);
    loadMatcher(fromDisk, {}, dir);
    loadMatcher({ ...fromDisk }, {}, dir);
    expect(files(dir)).toHaveLength(2);
    loadMatcher({ ...fromDisk, examples: fromDisk.examples.slice(1) }, {}, dir);
    expect(files(dir)).toHaveLength(3);
  });

  it("the code hash covers the matcher and the examples' parser", () => {
    const src = mkdtempSync(join(tmpdir(), "em-focus-src-"));
    roots.push(src);
    const sources = fileURLToPath(new URL("../src", import.meta.url));
    cpSync(join(sources, "match"), join(src, "match"), { recursive: true });
    mkdirSync(join(src, "content"));
    for (const file of ["examples.ts", "jsonl.ts", "types.ts"]) {
      cpSync(join(sources, "content", file), join(src, "content", file));
    }
    const before = matcherCodeHash(join(src, "match"));
    expect(before).toBe(matcherCodeHash());
    for (const file of ["match/features.ts", "content/examples.ts", "content/jsonl.ts", "content/types.ts"]) {
      const path = join(src, file);
      const text = readFileSync(path, "utf8");
      writeFileSync(path, `${text}\n// changed\n`);
      expect(matcherCodeHash(join(src, "match"))).not.toBe(before);
      writeFileSync(path, text);
    }
    expect(matcherCodeHash(join(src, "match"))).toBe(before);
  });

  it("a classifier survives its JSON exactly", () => {
    const model = fresh.model;
    expect(model).not.toBeNull();
    const back = Classifier.fromJSON(JSON.parse(JSON.stringify(model?.classifier)));
    expect(back.toJSON()).toEqual(model?.classifier.toJSON());
    expect(() =>
      Classifier.fromJSON({ classes: 2, features: ["a"], weights: "AAAA", bias: [0, 0] }),
    ).toThrow();
  });
});
