import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { loadLibrary, PROMPTS_FOLDER } from "../content/load.js";
import { loadPrompts, type Prompt } from "../content/prompts.js";
import { questionsBySlug } from "../content/questions.js";
import type { FocusLevel, Library } from "../content/types.js";
import { type Drift, detectDrift } from "../domain/focus.js";
import { type Answer, answerQuestion, answerWithSection } from "../match/answer.js";
import { type ArticleScore, articleScores } from "../match/article-eval.js";
import type { Matcher, MatcherOptions } from "../match/matcher.js";
import { loadMatcher } from "../match/model-cache.js";
import {
  ACTIONS,
  ALSO_RELEVANT_ACTIONS,
  answerView,
  decodeAnswerRef,
  findSection,
  type MessageView,
} from "../slack/views/answer.js";
import { HISTORY_WEEKS, homeView } from "../slack/views/home.js";
import { nudgeBlocks } from "../slack/views/nudge.js";
import { offersOtherLevels, otherLevelsView, replyView } from "../slack/views/overview.js";
import {
  ADD_NOTE_ACTION,
  answeredPromptBlocks,
  choiceFromAction,
  renderPromptMessage,
} from "../slack/views/prompt.js";
import { type AnswerForHistory, weeklyHistory } from "../store/history.js";
import type { AnswerChoice, AnswerHistory, Delivery, GapInput, NoteEntry } from "../store/types.js";
import { TeamChannel } from "./team.js";

export interface StudioOptions {
  contentDir: string;
  baseUrl: string | null;
  /** The playground's clock starts here; "next week" moves it on. */
  now?: () => Date;
  /** Called for unanswered questions and 👎; never given who asked. */
  recordGap?: (gap: GapInput) => Promise<void>;
  /** Where the trained matcher is cached; null trains in memory. */
  cacheDir?: string | null;
  /** Decide with these matcher options instead of the shipped ones. */
  matcher?: MatcherOptions;
}

/** What a button click turns into: a message to show, replacing the card or below it. */
export interface ActionResult {
  view: MessageView;
  replace: boolean;
  note?: string;
}

export const PLAYGROUND_USER = "you";
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The content as loaded last, and the first content problem since, if any. */
interface Loaded {
  library: Library;
  matcher: Matcher;
  prompts: Prompt[];
  signature: string;
  /** Each article on its own questions file, worked out when first asked for. */
  scores?: ArticleScores;
}

/** The per-article table of the Content tab, or why a questions file cannot be read. */
export interface ArticleScores {
  scores: ArticleScore[];
  problem: string | null;
  /** The content folder as an owner would type it. */
  contentDir: string;
}

/** Newest modification time and count of the content files: cheap enough to check on every page load. */
function contentSignature(dir: string): string {
  let newest = 0;
  let count = 0;
  const walk = (folder: string, depth: number) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (depth < 2) walk(path, depth + 1);
      } else {
        count += 1;
        newest = Math.max(newest, stat.mtimeMs);
      }
    }
  };
  if (existsSync(dir)) walk(dir, 0);
  return `${count}:${newest}`;
}

/**
 * The playground's state and every action it offers, as plain functions over the app's own
 * matcher and views. One person, in memory: prompts answered here are not stored.
 */
export class Studio {
  private loaded: Loaded;
  /** The message of the last failed reload; the previous content stays in use. */
  problem: string | null = null;
  private weeks = 0;
  private readonly answers = new Map<number, AnswerForHistory>();
  /** The level you mean to focus on (Home); null: no drift notes, as in Slack until you choose. */
  intended: FocusLevel | null = null;
  /** Week by week, the nudge its prompt carried (decided once, when the prompt first showed). */
  private readonly nudges = new Map<number, Drift | null>();
  /** The simulated leadership channel: five members and its weekly summaries. */
  readonly team = new TeamChannel();
  readonly feedback: { article: string; section: string; helpful: boolean; at: Date }[] = [];

  constructor(private readonly options: StudioOptions) {
    this.loaded = this.load();
  }

  private load(): Loaded {
    const signature = contentSignature(this.options.contentDir);
    const library = loadLibrary(this.options.contentDir, { baseUrl: this.options.baseUrl });
    const matcher = loadMatcher(library, this.options.matcher, this.options.cacheDir);
    const promptsDir = join(this.options.contentDir, PROMPTS_FOLDER);
    const prompts = existsSync(promptsDir) ? loadPrompts(promptsDir) : [];
    return { library, matcher, prompts, signature };
  }

  /** Loads content again when a file changed (or `force`); a broken file keeps the last good content. */
  reload(force = false): boolean {
    if (!force && contentSignature(this.options.contentDir) === this.loaded.signature) return false;
    try {
      this.loaded = this.load();
      this.problem = null;
      return true;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  get library(): Library {
    return this.loaded.library;
  }

  /** Each article measured on its questions file: the figures `npm run eval` prints after its tables. */
  articleScores(): ArticleScores {
    if (this.loaded.scores) return this.loaded.scores;
    const dir = relative(process.cwd(), this.options.contentDir);
    const contentDir = dir === "" || dir.startsWith("..") || isAbsolute(dir) ? this.options.contentDir : dir;
    try {
      const questions = questionsBySlug(this.options.contentDir, this.library.articles);
      this.loaded.scores = {
        scores: articleScores(this.matcher, this.library.articles, questions),
        problem: null,
        contentDir,
      };
    } catch (error) {
      this.loaded.scores = {
        scores: [],
        problem: error instanceof Error ? error.message : String(error),
        contentDir,
      };
    }
    return this.loaded.scores;
  }

  get matcher(): Matcher {
    return this.loaded.matcher;
  }

  /** The playground's clock: the real one, moved on by "next week". */
  now(): Date {
    const base = this.options.now?.() ?? new Date();
    return new Date(base.getTime() + this.weeks * WEEK_MS);
  }

  nextWeek(): void {
    this.weeks += 1;
    this.team.nextWeek();
  }

  /** The week's drift nudge, decided as the delivery pass does: 3 of the last 4 answers elsewhere, one a month. */
  private nudgeFor(week: number): Drift | null {
    const decided = this.nudges.get(week);
    if (decided !== undefined) return decided;
    if (!this.intended) return null;
    const newestFirst = [...this.answers.entries()]
      .filter(([w]) => w < week)
      .sort(([a], [b]) => b - a)
      .map(([, answer]) => answer.choice);
    const drift = detectDrift(this.intended, newestFirst) ?? null;
    // At most one in 30 days: four weeks later is 28 days, still too soon.
    const recent = [...this.nudges.entries()].some(([w, n]) => n && week - w < 5);
    const nudge = drift && !recent ? drift : null;
    this.nudges.set(week, nudge);
    return nudge;
  }

  async ask(question: string): Promise<{ answer: Answer; view: MessageView }> {
    const answer = answerQuestion(this.matcher, question);
    if (answer.outcome === "off-topic") {
      await this.gap({ question, outcome: "off-topic", articleSlug: null, sectionId: null, now: new Date() });
    }
    return { answer, view: replyView(this.library, answer, { buttons: true }) };
  }

  private async gap(gap: GapInput): Promise<void> {
    await this.options.recordGap?.(gap);
  }

  /** A click on an answer card's button, as the Slack listeners answer it. */
  async answerAction(actionId: string, value: string): Promise<ActionResult> {
    const ref = decodeAnswerRef(value);
    const section = ref && findSection(this.library, ref);
    if (!ref || !section) {
      return {
        replace: false,
        view: {
          text: "gone",
          blocks: [
            {
              type: "section",
              text: {
                type: "mrkdwn",
                text: "That answer is no longer in the article (the content changed). Ask again.",
              },
            },
          ],
        },
      };
    }
    switch (actionId) {
      case ACTIONS.share:
        return {
          replace: false,
          note: "Share preview: what the channel would see",
          view: answerView(
            {
              section,
              question: ref.question,
              matchedWords: [],
              alternatives: [],
              answer: answerWithSection(this.matcher, ref.question, section).answer,
            },
            { sharedBy: PLAYGROUND_USER },
          ),
        };
      case ACTIONS.otherLevels:
        return { replace: false, note: "Only visible to you", view: otherLevelsView(this.library, section) };
      case ACTIONS.helpful:
      case ACTIONS.notHelpful: {
        const helpful = actionId === ACTIONS.helpful;
        this.feedback.push({ article: ref.article, section: ref.section, helpful, at: new Date() });
        if (!helpful) {
          await this.gap({
            question: ref.question,
            outcome: "not-helpful",
            articleSlug: ref.article,
            sectionId: ref.section,
            now: new Date(),
          });
        }
        return {
          replace: true,
          view: answerView(answerWithSection(this.matcher, ref.question, section), {
            buttons: true,
            otherLevels: offersOtherLevels(this.library, section),
            feedbackNote: helpful
              ? "👍 Thanks — glad it helped."
              : "👎 Thanks — noted. The authors use this to improve the guidance.",
          }),
        };
      }
      default:
        if ((ALSO_RELEVANT_ACTIONS as readonly string[]).includes(actionId)) {
          return {
            replace: true,
            view: answerView(answerWithSection(this.matcher, ref.question, section), {
              buttons: true,
              otherLevels: offersOtherLevels(this.library, section),
            }),
          };
        }
        throw new UnknownAction(actionId);
    }
  }

  private delivery(): Delivery {
    const now = this.now();
    return {
      id: `week-${this.weeks}`,
      targetType: "user",
      targetId: PLAYGROUND_USER,
      dueAt: now,
    } as unknown as Delivery;
  }

  /** This week's prompt as it arrives, with the answer and "Add a note" once answered. */
  promptView(): MessageView | null {
    const prompts = this.loaded.prompts;
    const prompt = prompts[this.weeks % Math.max(prompts.length, 1)];
    if (!prompt) return null;
    const nudge = this.nudgeFor(this.weeks);
    const message = renderPromptMessage(
      this.library,
      prompt,
      this.delivery(),
      nudge ? nudgeBlocks(this.library, nudge) : [],
    );
    const answer = this.answers.get(this.weeks);
    const blocks = answer
      ? answeredPromptBlocks(message.blocks, answer.choice, `week-${this.weeks}`)
      : message.blocks;
    return { text: message.text, blocks: blocks as MessageView["blocks"] };
  }

  /** A prompt button: an answer choice, or "Add a note" (which the page answers with its note box). */
  answerPrompt(actionId: string, value: string): MessageView | null {
    if (value !== `week-${this.weeks}`) throw new UnknownAction("an earlier week's prompt");
    const choice: AnswerChoice | undefined = choiceFromAction(actionId);
    if (!choice) throw new UnknownAction(actionId);
    const previous = this.answers.get(this.weeks);
    this.answers.set(this.weeks, {
      choice,
      note: choice === "skip" ? null : (previous?.note ?? null),
      dueAt: this.now(),
      answeredAt: new Date(),
    });
    return this.promptView();
  }

  /** A note on a week's answer (plain text, at most 2,000 characters, as the modal allows); this week by default. */
  addNote(note: string, week = this.weeks): boolean {
    const answer = this.answers.get(week);
    if (!answer) return false;
    this.answers.set(week, { ...answer, note: note.trim().slice(0, 2000) || null });
    return true;
  }

  note(week = this.weeks): string | null {
    return this.answers.get(week)?.note ?? null;
  }

  /** "week-3" → 3, for this or an earlier week; undefined for anything else. */
  weekOf(value: string): number | undefined {
    const match = /^week-(\d{1,4})$/.exec(value);
    const week = match ? Number(match[1]) : Number.NaN;
    return Number.isInteger(week) && week <= this.weeks ? week : undefined;
  }

  /** Your notes as Home lists them, newest first. */
  notes(): NoteEntry[] {
    return [...this.answers.entries()]
      .filter(([, answer]) => answer.note)
      .sort(([a], [b]) => b - a)
      .map(([week, answer]) => ({
        deliveryId: `week-${week}`,
        choice: answer.choice,
        note: answer.note ?? "",
        dueAt: answer.dueAt,
      }));
  }

  history(): AnswerHistory {
    const first = Math.min(...this.answers.keys());
    return weeklyHistory([...this.answers.values()], {
      weeks: HISTORY_WEEKS,
      now: this.now(),
      timeZone: "UTC",
      // The playground's first prompt is week 0; the chart starts there.
      since: Number.isFinite(first) ? new Date(this.now().getTime() - (this.weeks - first) * WEEK_MS) : null,
    });
  }

  /** The Home tab as Slack shows it to a subscriber: chart, intended focus and notes. */
  homeView() {
    return homeView(this.library, undefined, this.history(), {
      notes: this.notes(),
      intended: this.intended,
    });
  }

  /** The simulated channel's prompt this week, and the summary the channel saw last. */
  teamView(): { prompt: MessageView | null; summary: MessageView | null } {
    const prompts = this.loaded.prompts;
    const prompt = prompts[this.weeks % Math.max(prompts.length, 1)];
    const delivery = { ...this.delivery(), id: `team-week-${this.weeks}`, targetType: "channel" } as Delivery;
    return {
      prompt: prompt ? renderPromptMessage(this.library, prompt, delivery) : null,
      summary: this.team.lastSummary(this.library, this.now()),
    };
  }

  /** Why the bot answered what it did: ranked sections with scores and matched words. */
  explain(question: string, limit = 8) {
    const decision = this.matcher.decide(question);
    return {
      decided: decision ? `${decision.best.section.article}#${decision.best.section.id}` : null,
      confidence: decision?.confidence ?? null,
      ranked: this.matcher.rank(question, limit).map((m) => ({
        article: m.section.article,
        section: m.section.id,
        level: m.section.level,
        title: m.section.heading,
        score: Math.round(m.score * 1000) / 1000,
        share: Math.round(m.share * 1000) / 1000,
        words: [...new Set(m.words)],
      })),
    };
  }
}

export { ADD_NOTE_ACTION };

export class UnknownAction extends Error {
  constructor(what: string) {
    super(`unknown action: ${what}`);
    this.name = "UnknownAction";
  }
}
