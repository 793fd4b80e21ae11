import type { Logger } from "@slack/bolt";
import { type GroupingWork, groupIndexesInSlices, groupIndexesNow } from "./gap-grouping.js";
import type { Answer } from "./match/answer.js";
import type { Gap, GapInput, Store } from "./store/types.js";

/**
 * Knowledge gaps: questions the content could not answer, and answers people marked 👎. Content
 * owners read them grouped by wording (`npx em-focus gaps`, the playground's Gaps tab) to add
 * aliases or write new sections. Only the question, the outcome, the section and the time are
 * kept — never who asked — for 90 days (store/gaps.ts); `RECORD_GAPS=off` records nothing.
 */

/** Records a gap without holding up or failing the answer: a failure is logged, the person still gets their answer. */
export type GapRecorder = ((gap: GapInput) => void) & {
  /** Writes what is still waiting (before the store closes). */
  flush?: () => Promise<void>;
};

/** The most gaps waiting; beyond it a flood is dropped (the table keeps 10,000 anyway). */
const GAP_QUEUE_LIMIT = 2_000;

export function createGapRecorder(
  store: Pick<Store, "recordGap"> & Partial<Pick<Store, "recordGaps">>,
  logger: Logger,
  enabled: boolean,
): GapRecorder {
  if (!enabled) return () => {};
  let queue: GapInput[] = [];
  let timer: NodeJS.Immediate | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = async (batch: GapInput[]): Promise<void> => {
    try {
      if (store.recordGaps) await store.recordGaps(batch);
      else for (const gap of batch) await store.recordGap(gap);
    } catch (error) {
      logger.warn("could not record a knowledge gap", error);
    }
  };
  const flush = (): Promise<void> => {
    if (timer) clearImmediate(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length > 0) writing = writing.then(() => write(batch));
    return writing;
  };
  const record: GapRecorder = (gap) => {
    if (queue.length >= GAP_QUEUE_LIMIT) return;
    queue.push(gap);
    // After the replies of this turn of the event loop are written; all its gaps in one batch.
    timer ??= setImmediate(flush);
  };
  record.flush = flush;
  return record;
}

/** The gap an answer leaves, if any: only questions with words that found no guidance. */
export function gapOfAnswer(answer: Answer, now: Date): GapInput | null {
  if (answer.outcome !== "off-topic") return null;
  return { question: answer.question, outcome: "off-topic", articleSlug: null, sectionId: null, now };
}

/** An answer marked 👎. */
export function notHelpfulGap(question: string, articleSlug: string, sectionId: string, now: Date): GapInput {
  return { question, outcome: "not-helpful", articleSlug, sectionId, now };
}

export interface GapGroup {
  /** The wording asked most often in the group (the newest on a tie). */
  question: string;
  count: number;
  /** Up to three other wordings. */
  variants: string[];
  offTopic: number;
  notHelpful: number;
  /** `article#section` of the answers marked 👎, most frequent first. */
  sections: string[];
  lastAt: Date;
}

/** The gaps of one group summed up for people. */
function summarise(members: readonly Gap[]): GapGroup {
  const wordings = new Map<string, { n: number; last: number }>();
  const sections = new Map<string, number>();
  let offTopic = 0;
  let lastAt = 0;
  for (const gap of members) {
    const at = gap.createdAt.getTime();
    const seen = wordings.get(gap.question) ?? { n: 0, last: 0 };
    wordings.set(gap.question, { n: seen.n + 1, last: Math.max(seen.last, at) });
    if (gap.articleSlug && gap.sectionId) {
      const section = `${gap.articleSlug}#${gap.sectionId}`;
      sections.set(section, (sections.get(section) ?? 0) + 1);
    }
    if (gap.outcome === "off-topic") offTopic += 1;
    lastAt = Math.max(lastAt, at);
  }
  const ranked = [...wordings].sort((a, b) => b[1].n - a[1].n || b[1].last - a[1].last).map(([q]) => q);
  return {
    question: ranked[0] ?? "",
    count: members.length,
    variants: ranked.slice(1, 4),
    offTopic,
    notHelpful: members.length - offTopic,
    sections: [...sections].sort((a, b) => b[1] - a[1]).map(([s]) => s),
    lastAt: new Date(lastAt),
  };
}

function ranked(gaps: readonly Gap[], groups: readonly number[][]): GapGroup[] {
  return groups
    .map((members) => summarise(members.map((index) => gaps[index] as Gap)))
    .sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
}

/** Gaps grouped by similar wording (see gap-grouping.ts), most frequent first. */
export function groupGaps(gaps: readonly Gap[], work?: GroupingWork): GapGroup[] {
  return ranked(
    gaps,
    groupIndexesNow(
      gaps.map((g) => g.question),
      work,
    ),
  );
}

/** `groupGaps` for a server: other requests are answered while it works. */
export async function groupGapsInSlices(gaps: readonly Gap[], work?: GroupingWork): Promise<GapGroup[]> {
  return ranked(
    gaps,
    await groupIndexesInSlices(
      gaps.map((g) => g.question),
      work,
    ),
  );
}

/** "30d", "12h", "2w" as milliseconds; null when it is none of those. */
export function parseSince(text: string): number | null {
  const match = /^(\d{1,4})([hdw])$/.exec(text.trim());
  if (!match) return null;
  const unit = { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2] as "h" | "d" | "w"];
  return Number(match[1]) * unit;
}
