import { stemmer } from "stemmer";

/**
 * Words that carry no meaning for telling sections apart. Kept short on purpose: words such as
 * "team", "back" or "level" are what questions hinge on, and "what … about" is how people ask for
 * the gist ("what is this bot about?" would otherwise be the single word "bot").
 */
const STOP_WORDS = new Set(
  `a above after again against all am an and any are aren as at be because been before being
  below between both but by can cannot could couldn did didn do does doesn doing don down during each
  few for from further had hadn has hasn have haven having he her here hers herself him himself his
  how i if in into is isn it its itself just let me more most much my myself no nor not now of off on
  once only or other ought our ours ourselves out over own really same shall she should shouldn so
  some such than that the their theirs them themselves then there these they this those through to
  too under until up very was wasn we were weren when where which while who whom why will with
  won would wouldn you your yours yourself yourselves im ive id ill youre thats theres dont
  doesnt isnt cant wont hi hey hello thanks thank please ok okay yeah yes lol pls plz anyone someone
  something thing things get got also still even maybe kind sort like want wanna gonna need think
  know feel lot lots bit take takes taking took time times`.split(/\s+/),
);

/**
 * Abbreviations and spellings people use in Slack, mapped to the article's words. Language, not
 * guidance: what each section says and which phrasings point to it lives in content front matter.
 */
const SYNONYMS: Record<string, string> = {
  em: "manager",
  ems: "managers",
  mgr: "manager",
  mgmt: "management",
  eng: "engineering",
  dev: "engineer",
  devs: "engineers",
  developer: "engineer",
  developers: "engineers",
  programmer: "engineer",
  programming: "coding",
  swe: "engineer",
  sde: "engineer",
  vps: "vp",
  ics: "ic",
  "1:1": "one-on-one",
  "1on1": "one-on-one",
  "1-1": "one-on-one",
  sr: "senior",
  dir: "director",
  yrs: "years",
  yr: "year",
  promo: "promotion",
};

/** Spellings worth correcting typos towards even when the content does not use them. */
export const KNOWN_SPELLINGS: readonly string[] = Object.keys(SYNONYMS).filter((word) =>
  /^[a-z]{5,}$/.test(word),
);

/** Splits text into lower-case words of any script; digits stay with their word. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’:][\p{L}\p{N}]+)*/gu) ?? [];
}

/**
 * The index term for one word, or null for a word that says nothing. Questions and content go
 * through the same function, so stems always meet.
 */
export function termOf(word: string): string | null {
  const known = TERMS.get(word);
  if (known !== undefined) return known;
  const term = computeTerm(word);
  // Words repeat endlessly across content and questions; stemming each only once makes indexing
  // large content and matching several times faster. Bounded so odd input cannot grow it forever.
  if (TERMS.size < 200_000) TERMS.set(word, term);
  return term;
}

const TERMS = new Map<string, string | null>();

/**
 * Counts above one read alike: "3 teams", "three teams" and "several teams" all say "more than one
 * team", which is what tells leading several teams from leading one.
 */
const MANY = "#many";
const COUNT_WORDS = new Set(
  "two three four five six seven eight nine ten eleven twelve several multiple numerous dozen".split(" "),
);

function computeTerm(word: string): string | null {
  const plain = word.toLowerCase().replace(/’/g, "'");
  const mapped = SYNONYMS[plain] ?? plain;
  const bare = mapped.replace(/'(s|t|re|ve|ll|d|m)$/, "").replace(/'/g, "");
  if (bare.length === 0 || STOP_WORDS.has(bare)) return null;
  if (COUNT_WORDS.has(bare) || (/^\d{1,3}$/.test(bare) && Number(bare) >= 2)) return MANY;
  if (bare.length === 1 && !/\p{N}/u.test(bare)) return null;
  // The stemmer knows English only; other scripts are matched as written.
  return /^[a-z]+$/.test(bare) ? stemmer(bare) : bare;
}
