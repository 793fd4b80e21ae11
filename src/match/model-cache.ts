import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { examplesDigest } from "../content/load.js";
import type { Library } from "../content/types.js";
import { projectRoot } from "../project.js";
import { Classifier, type ClassifierParts } from "./classifier.js";
import { DEFAULT_MATCHER_OPTIONS, Matcher, type MatcherOptions, type TrainedModel } from "./matcher.js";

/**
 * Trained models kept on disk between starts, so a restart with unchanged content does not train
 * again (training is most of the cost of building a matcher). A model is found by a hash of
 * everything it was learned from: the sections, the examples, the options and the matcher's own
 * code, so a change to any of them trains afresh. The cache is an optimisation only: a missing,
 * unreadable, corrupt or unwritable cache just means training, never a failure.
 */

const FORMAT = 3;
/** node_modules/.cache is where tools keep caches. */
export const DEFAULT_CACHE_DIR = join(projectRoot(), "node_modules", ".cache", "em-focus");
/** Set by the bundler (scripts/build.mjs) to a hash of src/match; unbundled, the files are read below. */
declare const EM_FOCUS_MATCHER_CODE: string | undefined;

/**
 * A saved model is one binary file: a 4-byte length, that many bytes of JSON (this header), then
 * the classifier's weights as little-endian float64. Base64 in JSON took 2 s to restore for a
 * library of 100 sections (54 MB of weights); bytes read straight into memory take a few ms.
 */
interface SavedModel {
  format: number;
  classifier: Omit<ClassifierParts, "weights">;
  known: string[];
  levels: [string, string][];
  examplesPerSection: [string, number][];
}

/** A matcher for the library: restored from `cacheDir` when trained before, else trained and saved. */
export function loadMatcher(
  library: Pick<Library, "sections" | "examples">,
  options: MatcherOptions = {},
  cacheDir: string | null = DEFAULT_CACHE_DIR,
): Matcher {
  if (cacheDir === null) return new Matcher(library, options);
  const file = join(cacheDir, `matcher-${fingerprint(library, options)}.bin`);
  const restored = read(file);
  if (restored) {
    try {
      return new Matcher(library, options, restored);
    } catch {
      // A model that does not fit this library is retrained below.
    }
  }
  const matcher = new Matcher(library, options);
  if (matcher.model) write(cacheDir, file, matcher.model);
  return matcher;
}

function fingerprint(library: Pick<Library, "sections" | "examples">, options: MatcherOptions): string {
  const hash = createHash("sha256");
  // The decision thresholds do not change what is learned: one model serves all of them.
  const { minConfidence, closestConfidence, alternativeShare, ...training } = {
    ...DEFAULT_MATCHER_OPTIONS,
    ...options,
  };
  hash.update(JSON.stringify({ format: FORMAT, options: training }));
  for (const s of library.sections) {
    hash.update(
      JSON.stringify([
        s.article,
        s.articleTitle,
        s.id,
        s.heading,
        s.summary,
        s.plain,
        s.level,
        s.role,
        s.aliases,
      ]),
    );
  }
  // A library read from disk stands for its examples by the file's bytes, hashed as it was read, so
  // a start that restores the model never parses them; any other library by its examples.
  const digest = examplesDigest(library);
  hash.update(digest === undefined ? JSON.stringify(library.examples) : `examples.jsonl ${digest}`);
  // The matcher's code (and the examples' parser): a change to features or training must not reuse
  // an old model, nor a stricter parser let a cached model stand for a file it would now refuse.
  hash.update(typeof EM_FOCUS_MATCHER_CODE === "string" ? EM_FOCUS_MATCHER_CODE : matcherCodeHash());
  return hash.digest("hex").slice(0, 32);
}

/** What the examples' parser is made of, besides src/match: hashed with the matcher's code. */
const PARSER_SOURCES = ["content/examples.ts", "content/jsonl.ts", "content/types.ts"];

/**
 * A hash of the matcher's source files (this folder, run from src/) and the examples' parser.
 * scripts/build.mjs computes the same one for the bundle, so the bot and the tests or tsx share
 * one cached model.
 */
export function matcherCodeHash(dir = dirname(fileURLToPath(import.meta.url))): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(".ts")) hash.update(readFileSync(join(dir, name)));
  }
  for (const file of PARSER_SOURCES) hash.update(readFileSync(join(dir, "..", file)));
  return hash.digest("hex").slice(0, 16);
}

function read(file: string): TrainedModel | null {
  try {
    const bytes = readFileSync(file);
    const length = bytes.readUInt32LE(0);
    const saved = JSON.parse(bytes.toString("utf8", 4, 4 + length)) as SavedModel;
    markUsed(file);
    if (
      saved.format !== FORMAT ||
      !Array.isArray(saved.known) ||
      !Array.isArray(saved.levels) ||
      !Array.isArray(saved.examplesPerSection)
    )
      return null;
    const start = weightsOffset(length);
    if (start > bytes.byteLength || (bytes.byteLength - start) % Float64Array.BYTES_PER_ELEMENT !== 0)
      return null;
    const count = (bytes.byteLength - start) / Float64Array.BYTES_PER_ELEMENT;
    let weights: Float64Array;
    if ((bytes.byteOffset + start) % Float64Array.BYTES_PER_ELEMENT === 0) {
      // Read straight from the file's bytes (a file this large has memory of its own, aligned).
      weights = new Float64Array(bytes.buffer, bytes.byteOffset + start, count);
    } else {
      // A Float64Array needs aligned bytes: copied into memory of its own.
      weights = new Float64Array(count);
      new Uint8Array(weights.buffer).set(bytes.subarray(start));
    }
    return {
      classifier: Classifier.fromParts({ ...saved.classifier, weights }),
      known: new Set(saved.known),
      levels: new Map(saved.levels),
      examplesPerSection: new Map(saved.examplesPerSection),
    };
  } catch {
    return null;
  }
}

/** Marks a model recently used, so pruning (in `write`) keeps it; a read-only cache just goes unmarked. */
function markUsed(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // Nothing to do: the model was read all the same.
  }
}

/** Where the weights start after a header of `length` bytes: 8-byte aligned, as float64 are. */
function weightsOffset(length: number): number {
  return Math.ceil((4 + length) / 8) * 8;
}

/** How many trained models the cache folder keeps, the most recently used. */
const KEPT_MODELS = 8;

function write(dir: string, file: string, model: TrainedModel): void {
  const { weights, ...classifier } = model.classifier.parts();
  const saved: SavedModel = {
    format: FORMAT,
    classifier,
    known: [...model.known],
    levels: [...model.levels],
    examplesPerSection: [...model.examplesPerSection],
  };
  try {
    mkdirSync(dir, { recursive: true });
    // Keep the folder from growing with every content edit, but keep a few recent models: the bot,
    // the playground, the tests and a checkout of another branch each use their own library.
    const others = readdirSync(dir)
      .filter((name) => name.startsWith("matcher-") && join(dir, name) !== file)
      .map((name) => ({ path: join(dir, name), used: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.used - a.used);
    for (const { path } of others.slice(KEPT_MODELS - 1)) rmSync(path, { force: true });
    // Written aside and renamed, so a reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    const header = Buffer.from(JSON.stringify(saved), "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.byteLength, 0);
    const padding = Buffer.alloc(weightsOffset(header.byteLength) - 4 - header.byteLength);
    const body = Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength);
    writeFileSync(partial, Buffer.concat([length, header, padding, body]));
    renameSync(partial, file);
  } catch {
    // Read-only disk or no permission: the next start trains again.
  }
}
