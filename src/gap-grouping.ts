import { cleanQuestion } from "./match/question.js";
import { termOf, tokenize } from "./match/terms.js";

/*
 * Which questions read alike: the same stemmed words, half or more of them shared (Jaccard ≥ 0.5),
 * each question joining the earliest group whose first question it is like. Comparing each question
 * with every group was quadratic (10,000 gaps: seconds with the bot unable to answer). Here a
 * question is compared only with groups it can be like (prefix filtering: two word sets with
 * Jaccard ≥ 0.5 share a word among the first ⌊n/2⌋+1 of each, rarest words first), identical word
 * sets are found by key, and at most MAX_CANDIDATES groups are tried: the work is linear in the
 * number of gaps. The grouping runs in slices (a generator), so on the request path it can give way
 * to other requests between slices.
 */

/** The most earlier groups one question is compared with; past that, a new group starts. */
export const MAX_CANDIDATES = 64;
/** Questions handled between two chances for other work to run. */
export const SLICE = 250;

/** What grouping cost: tests check it stays linear. */
export interface GroupingWork {
  comparisons: number;
}

function termsOf(question: string): string[] {
  const terms = new Set<string>();
  for (const word of tokenize(cleanQuestion(question))) {
    const term = termOf(word);
    if (term !== null) terms.add(term);
  }
  return [...terms];
}

function similar(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return a.size === b.size;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared) >= 0.5;
}

/** How many of a set's words (rarest first) a similar set must share one of, for Jaccard ≥ 0.5. */
function prefixLength(size: number): number {
  return size - Math.ceil(size / 2) + 1;
}

/** Groups of question indexes, in the order the groups were started; yields between slices. */
export function* groupIndexes(
  questions: readonly string[],
  work: GroupingWork = { comparisons: 0 },
): Generator<undefined, number[][]> {
  const sets: string[][] = [];
  const seenIn = new Map<string, number>();
  for (const [index, question] of questions.entries()) {
    const terms = termsOf(question);
    sets.push(terms);
    for (const term of terms) seenIn.set(term, (seenIn.get(term) ?? 0) + 1);
    if (index % SLICE === SLICE - 1) yield;
  }
  const rarestFirst = (a: string, b: string) =>
    (seenIn.get(a) ?? 0) - (seenIn.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0);

  const groups: { terms: ReadonlySet<string>; members: number[] }[] = [];
  const byWords = new Map<string, number>();
  const postings = new Map<string, number[]>();
  for (const [index, terms] of sets.entries()) {
    terms.sort(rarestFirst);
    const key = terms.join(" ");
    let group = byWords.get(key);
    if (group === undefined) {
      const own = new Set(terms);
      const prefix = terms.slice(0, prefixLength(terms.length));
      const tried = new Set<number>();
      search: for (const term of prefix) {
        for (const candidate of postings.get(term) ?? []) {
          if (tried.has(candidate)) continue;
          if (tried.size >= MAX_CANDIDATES) break search;
          tried.add(candidate);
          work.comparisons += 1;
          const representative = groups[candidate]?.terms;
          if ((group === undefined || candidate < group) && representative && similar(representative, own))
            group = candidate;
        }
      }
      if (group === undefined) {
        group = groups.length;
        groups.push({ terms: own, members: [] });
        for (const term of prefix) {
          const list = postings.get(term);
          if (list) list.push(group);
          else postings.set(term, [group]);
        }
      }
      byWords.set(key, group);
    }
    groups[group]?.members.push(index);
    if (index % SLICE === SLICE - 1) yield;
  }
  return groups.map((g) => g.members);
}

/** Runs `groupIndexes` to the end at once (the CLI, tests). */
export function groupIndexesNow(questions: readonly string[], work?: GroupingWork): number[][] {
  const steps = groupIndexes(questions, work);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs `groupIndexes` letting other callbacks (requests, timers) run between slices. */
export async function groupIndexesInSlices(
  questions: readonly string[],
  work?: GroupingWork,
): Promise<number[][]> {
  const steps = groupIndexes(questions, work);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
