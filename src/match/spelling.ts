import MiniSearch from "minisearch";
import { termOf } from "./terms.js";

/** Shorter words are not corrected: too many real words are one letter apart. */
export const MIN_CORRECTED_LENGTH = 5;
/** Corrections remembered per content load; words recur, and odd input must not grow it forever. */
const MEMORY = 50_000;

/**
 * Corrects typos word by word against the content's own words, before stemming: a typo usually
 * stops the stemmer ("promtion" stays "promtion" while "promotion" becomes "promot"). One small
 * index per first letter: people seldom mistype the first one, and it keeps correction cheap.
 * Two neighbouring letters swapped ("sovler", "rigth") is the commonest typo of all, and an edit
 * distance counts it as two edits: such a swap is tried first, as one.
 */
export class Spelling {
  private readonly indexes = new Map<string, MiniSearch<{ id: number; word: string }>>();
  private readonly remembered = new Map<string, string | null>();
  private readonly known = new Set<string>();

  /** `words`: the correct spellings, lower case; `fuzzy`: edit distance as a fraction of length. */
  constructor(
    words: Iterable<string>,
    private readonly fuzzy: number,
  ) {
    for (const word of words) {
      if (word.length < MIN_CORRECTED_LENGTH) continue;
      this.known.add(word);
      const first = word.charAt(0);
      let index = this.indexes.get(first);
      if (!index) {
        index = new MiniSearch<{ id: number; word: string }>({
          fields: ["word"],
          storeFields: ["word"],
          tokenize: (text) => [text],
          processTerm: (text) => text,
        });
        this.indexes.set(first, index);
      }
      index.add({ id: index.documentCount, word });
    }
  }

  /** The term of the known word closest to a misspelled one, or null if none is close enough. */
  correct(word: string): string | null {
    const lower = word.toLowerCase();
    const known = this.remembered.get(lower);
    if (known !== undefined) return known;
    const swapped = this.swapped(lower);
    const [closest] = swapped
      ? [{ word: swapped }]
      : (this.indexes.get(lower.charAt(0))?.search(lower, { fuzzy: this.fuzzy }) ?? []);
    const term = closest ? termOf(closest.word as string) : null;
    if (this.remembered.size < MEMORY) this.remembered.set(lower, term);
    return term;
  }

  /** The known word this one becomes when two neighbouring letters change places, if any. */
  private swapped(word: string): string | null {
    for (let i = 0; i + 1 < word.length; i++) {
      if (word[i] === word[i + 1]) continue;
      const candidate = `${word.slice(0, i)}${word[i + 1]}${word[i]}${word.slice(i + 2)}`;
      if (this.known.has(candidate)) return candidate;
    }
    return null;
  }
}
