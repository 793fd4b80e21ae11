import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import matter from "gray-matter";
import { plainText, slugify } from "../src/content/markdown.js";
import { seededRandom } from "../src/match/random.js";

/** Everyday words of the domain, so generated text shares terms with real questions. */
const DOMAIN_WORDS =
  `team teams manager managers engineer engineers engineering management lead leads leader leadership
director org orgs company goals project projects problem problems skills experience career promotion role roles
switch back coding code building software staff senior junior report reports one-on-one meeting meetings hiring
review feedback growth grow support process planning roadmap priorities strategy delivery quality incident
oncall architecture design system systems product customer customers stakeholder stakeholders budget headcount
performance trust culture communication conflict decision decisions context focus level levels time week weeks
month quarter year years plan plans change changes risk scope deadline estimate estimates metrics data learning
mentor mentoring coaching pair pairing documentation writing reading technical debt migration platform
infrastructure security testing release releases deploy deploys velocity burnout energy calendar interview
interviews onboarding offboarding budget vision mission values peers peer cross-functional alignment ownership`
    .split(/\s+/)
    .filter((w) => w !== "");

/** Function words: about half of real running text, and dropped by the matcher's term filter. */
const FUNCTION_WORDS =
  `the a of and to in is that it for you with as on be at this your are or by from but not have
can more when what how they we if so about do their there an will all one our into which who been has would`
    .split(/\s+/)
    .filter((w) => w !== "");

const SYLLABLES =
  `ka ro mi ta sen vel dor pra lin qui mos tev ar ul en ost brin cal dem fi gor han jus kel lum nar
pol ris sab tor ur vix wen yal zor ber cid fen gal hob ip jor kun lep mar nob ov pes qua rud sil tam uv wal`
    .split(/\s+/)
    .filter((s) => s !== "");

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Invented words (4,000 of them) so the vocabulary grows with the corpus, as real text does. */
function inventedWords(random: () => number, count: number): string[] {
  const words = new Set<string>();
  while (words.size < count) {
    const parts = 2 + Math.floor(random() * 2);
    let word = "";
    for (let i = 0; i < parts; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

/** Sentences of the seed article, as plain text. */
function seedSentences(seedFile: string): string[] {
  const body = matter(readFileSync(seedFile, "utf8"), {}).content;
  return body
    .split(/\n\s*\n/)
    .map((paragraph) => plainText(paragraph.replace(/^#.*$/gm, "")))
    .flatMap((text) => text.split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter((s) => s.split(" ").length >= 5);
}

export interface GeneratedContent {
  articles: number;
  sections: number;
  bytes: number;
  words: number;
}

/**
 * Writes `count` articles into `dir`: front matter (title, excerpt, tags, a section override with
 * aliases), an intro, `##` sections, an untitled paragraph, a bold-led list (one section per item)
 * and a plain list that belongs to the paragraph before it. About ten sections an article; the text
 * mixes sentences of the seed article (one in ten) with generated ones: about 45% function words,
 * the rest content words drawn by Zipf's law over ~4,000 invented words and the domain's own words.
 */
export function generateContent(dir: string, count: number, seedFile: string, seed = 42): GeneratedContent {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(seed);
  // Content words by frequency rank: invented words, with the domain words spread over the first
  // ~600 ranks (every third), so a word like "team" is common but not in every paragraph.
  const domain = shuffle(DOMAIN_WORDS, random);
  const invented = inventedWords(random, 4_000);
  const vocabulary: string[] = [];
  while (domain.length > 0 || invented.length > 0) {
    const next =
      vocabulary.length % 3 === 1
        ? (domain.shift() ?? invented.shift())
        : (invented.shift() ?? domain.shift());
    vocabulary.push(next as string);
  }
  const seedText = seedSentences(seedFile);
  // Zipf: rank r is picked with weight 1/r, by inverting the cumulative harmonic sum.
  const harmonic: number[] = [];
  let sum = 0;
  for (let r = 1; r <= vocabulary.length; r++) {
    sum += 1 / r;
    harmonic.push(sum);
  }
  const contentWord = (): string => {
    const target = random() * sum;
    let lo = 0;
    let hi = harmonic.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((harmonic[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo] as string;
  };
  const word = (): string => (random() < 0.45 ? (pick(FUNCTION_WORDS) as string) : contentWord());
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const phrase = (min: number, max: number) => Array.from({ length: int(min, max) }, word).join(" ");
  /** Titles and headings: mostly content words. */
  const label = (min: number, max: number) =>
    Array.from({ length: int(min, max) }, () => (random() < 0.2 ? pick(FUNCTION_WORDS) : contentWord())).join(
      " ",
    );
  const generated = () => `${capitalized(phrase(8, 20))}.`;
  const sentence = () => (random() < 0.1 ? pick(seedText) : generated());
  const paragraph = (min: number, max: number, first = sentence()) =>
    [first, ...Array.from({ length: int(min, max) - 1 }, sentence)].join(" ");

  let sections = 0;
  let bytes = 0;
  let words = 0;
  for (let n = 1; n <= count; n++) {
    const title = capitalized(label(3, 7));
    const used = new Set<string>([slugify(title)]);
    const heading = (): string => {
      for (;;) {
        const text = capitalized(label(2, 5));
        const id = slugify(text);
        if (id !== "" && !used.has(id)) {
          used.add(id);
          return text;
        }
      }
    };
    const body: string[] = [`# ${title}`, "", paragraph(2, 4)];
    sections += 1;
    const headings: string[] = [];
    for (let i = int(2, 4); i > 0; i--) {
      const h = heading();
      headings.push(h);
      body.push("", `## ${h}`, "", paragraph(3, 5));
      sections += 1;
    }
    // A paragraph without a heading: its id comes from its (generated, so unique) first sentence.
    body.push("", paragraph(2, 4, generated()));
    if (random() < 0.5)
      body.push("", ...Array.from({ length: int(2, 4) }, () => `- ${capitalized(phrase(3, 8))}`));
    sections += 1;
    body.push("", `Here is how ${label(2, 4)} looks at each level:`, "");
    sections += 1;
    const levels = random() < 0.2 ? ["Narrow", "Wide", "IC"] : [];
    for (let i = int(3, 5); i > 0; i--) {
      const lead = levels.shift() ?? heading();
      used.add(slugify(lead));
      body.push(`- **${lead}**: ${paragraph(1, 3)}`);
      sections += 1;
    }
    const last = heading();
    body.push("", `## ${last}`, "", paragraph(2, 4), "");
    sections += 1;

    const aliased = pick(headings);
    const front = [
      "---",
      `title: ${JSON.stringify(title)}`,
      `excerpt: ${JSON.stringify(generated())}`,
      `created: 2024-${String(int(1, 12)).padStart(2, "0")}-${String(int(1, 28)).padStart(2, "0")}`,
      "tags:",
      ...Array.from({ length: int(1, 3) }, () => `  - ${slugify(contentWord())}`),
      "sections:",
      `  - section: ${JSON.stringify(slugify(aliased))}`,
      `    summary: ${JSON.stringify(generated())}`,
      "    aliases:",
      ...Array.from({ length: int(2, 5) }, () => `      - ${JSON.stringify(phrase(3, 7))}`),
      "---",
      "",
    ];
    const text = `${front.join("\n")}${body.join("\n")}`;
    bytes += Buffer.byteLength(text);
    words += text.split(/\s+/).length;
    writeFileSync(join(dir, `article-${String(n).padStart(4, "0")}.md`), text);
  }
  return { articles: count, sections, bytes, words };
}
