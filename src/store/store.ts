import type { Kysely } from "kysely";
import type { AnswerChoice, IntendedFocus } from "../domain/focus.js";
import { claimDueDeliveries } from "./claim-batch.js";
import type { Delivery, LeaseInput } from "./deliveries.js";
import * as deliveries from "./deliveries.js";
import type { ClaimDueDeliveryInput, RecordUnsentDeliveryInput } from "./delivery-claims.js";
import * as claims from "./delivery-claims.js";
import * as eventClaims from "./event-claims.js";
import type { FeedbackInput, Vote } from "./feedback.js";
import * as feedback from "./feedback.js";
import type { Gap, GapInput } from "./gaps.js";
import * as gaps from "./gaps.js";
import { type StoreHealth, storeHealth } from "./health.js";
import type { AnswerHistory, HistoryOptions } from "./history.js";
import type { InstallationKey, InstallationRow } from "./installations.js";
import * as installs from "./installations.js";
import type { IntendedFocusRow } from "./intended-focus.js";
import * as intended from "./intended-focus.js";
import type { NoteEntry, PromptAnswer, PromptAnswerInput } from "./prompt-answers.js";
import * as answers from "./prompt-answers.js";
import type { DialectName, SubscriptionTarget } from "./rows.js";
import type { Database } from "./schema.js";
import { batchedMarkSent } from "./sent-batch.js";
import type {
  DueSubscriptionsPage,
  RescheduleInput,
  Subscription,
  SubscriptionInput,
} from "./subscriptions.js";
import * as subscriptions from "./subscriptions.js";
import * as optins from "./summary-optins.js";
import type { PostedSummary, SummaryDue, SummaryStatus } from "./team-summaries.js";
import * as summaries from "./team-summaries.js";
import { type UninstallReport, uninstall } from "./uninstall.js";

/** Rows removed (or, for channel subscriptions they set up, made anonymous) by `forgetUser`. */
export interface ForgetReport {
  readonly subscriptions: number;
  readonly channelSubscriptionsAnonymised: number;
  readonly deliveries: number;
  readonly answers: number;
  readonly feedback: number;
  readonly intendedFocus: number;
  /** Channel summaries that counted the person, redrawn without them by the next pass. */
  readonly summariesRedrawn: number;
}

/** Rows removed by `pruneExpired`. */
export interface RetentionReport {
  readonly answers: number;
  readonly deliveries: number;
  readonly summaries: number;
}

/**
 * The table modules' functions bound to one database, under the names the Slack listeners and the
 * delivery pass call. Each method is documented where it is written: subscriptions.ts,
 * delivery-claims.ts, deliveries.ts, prompt-answers.ts, feedback.ts.
 */
export interface Store {
  readonly dialect: DialectName;

  upsertSubscription(input: SubscriptionInput): Promise<{ subscription: Subscription; created: boolean }>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  findSubscription(target: SubscriptionTarget): Promise<Subscription | undefined>;
  listSubscriptionsForUser(teamId: string, userId: string): Promise<Subscription[]>;
  listDueSubscriptions(now: Date, page: DueSubscriptionsPage): Promise<Subscription[]>;
  rescheduleSubscription(id: string, input: RescheduleInput): Promise<boolean>;
  listZoneChecksDue(window: {
    from: Date;
    until: Date;
    freshMs: number;
    limit: number;
  }): Promise<Subscription[]>;
  pauseSubscription(id: string, reason: string, now: Date): Promise<boolean>;
  resumeSubscription(id: string, nextPromptAt: Date, now: Date): Promise<boolean>;
  setSkipNext(id: string, skipNext: boolean, now: Date): Promise<boolean>;
  deleteSubscription(target: SubscriptionTarget): Promise<boolean>;

  claimDueDelivery(input: ClaimDueDeliveryInput): Promise<Delivery | undefined>;
  /** `claimDueDelivery` for many, with one commit (claim-batch.ts); in the order of `inputs`. */
  claimDueDeliveries(inputs: readonly ClaimDueDeliveryInput[]): Promise<Array<Delivery | undefined>>;
  recordUnsentDelivery(input: RecordUnsentDeliveryInput): Promise<boolean>;
  listRetryableDeliveries(now: Date, limit: number): Promise<Delivery[]>;
  reclaimDelivery(id: string, lease: LeaseInput): Promise<Delivery | undefined>;
  extendDeliveryLease(id: string, lease: LeaseInput): Promise<boolean>;
  markDeliverySent(
    id: string,
    sent: { owner: string; channelId: string; messageTs: string; now: Date },
  ): Promise<boolean>;
  markDeliveryRetrying(
    id: string,
    retry: { owner: string; error: string; nextAttemptAt: Date; attempts?: number; now: Date },
  ): Promise<boolean>;
  markDeliveryFailed(
    id: string,
    failure: { owner: string; error: string; pauseSubscription: boolean; now: Date },
  ): Promise<boolean>;
  markDeliveryMissed(id: string, missed: { owner: string; now: Date }): Promise<boolean>;
  markDeliveryCancelled(
    id: string,
    cancelled: { owner: string; reason: string; now: Date },
  ): Promise<boolean>;
  getDelivery(id: string): Promise<Delivery | undefined>;
  listDeliveries(subscriptionId: string): Promise<Delivery[]>;

  recordAnswer(input: PromptAnswerInput): Promise<PromptAnswer | undefined>;
  getAnswer(deliveryId: string, userId: string): Promise<PromptAnswer | undefined>;
  setAnswerNote(deliveryId: string, userId: string, note: string | null): Promise<PromptAnswer | undefined>;
  answerHistory(teamId: string, userId: string, options: HistoryOptions): Promise<AnswerHistory>;

  listNotes(teamId: string, userId: string, limit: number): Promise<NoteEntry[]>;
  recentChoices(teamId: string, userId: string, limit: number): Promise<AnswerChoice[]>;
  answersTo(
    deliveryIds: readonly string[],
  ): Promise<Array<{ deliveryId: string; userId: string; choice: AnswerChoice }>>;
  firstPromptAt(teamId: string, userId: string): Promise<Date | null>;

  getIntendedFocus(teamId: string, userId: string): Promise<IntendedFocusRow | undefined>;
  listIntendedFocusHolders(): Promise<Array<{ teamId: string; userId: string }>>;
  setIntendedFocus(teamId: string, userId: string, level: IntendedFocus | null, now: Date): Promise<void>;
  claimNudge(teamId: string, userId: string, now: Date): Promise<boolean>;

  setNameShown(
    target: { teamId: string; channelId: string; userId: string },
    shown: boolean,
    now: Date,
  ): Promise<void>;
  namedMembers(teamId: string, channelId: string): Promise<Set<string>>;

  listSummariesDue(window: {
    from: Date;
    until: Date;
    staleClaimBefore: Date;
    limit: number;
  }): Promise<SummaryDue[]>;
  claimSummary(due: SummaryDue, claim: { now: Date; staleClaimBefore: Date }): Promise<boolean>;
  finishSummary(
    deliveryId: string,
    outcome: { status: Exclude<SummaryStatus, "claimed">; messageTs: string | null; now: Date },
  ): Promise<void>;
  releaseSummary(deliveryId: string): Promise<void>;
  listStaleSummaries(limit: number): Promise<PostedSummary[]>;
  listChannelSummaries(
    teamId: string,
    channelId: string,
    from: Date,
    until: Date,
  ): Promise<Array<{ deliveryId: string; dueAt: Date }>>;

  /** Deletes answers (and notes), finished deliveries and summaries of prompts due before `cutoff`. */
  pruneExpired(cutoff: Date): Promise<RetentionReport>;

  recordFeedback(input: FeedbackInput): Promise<Vote>;

  recordGap(input: GapInput): Promise<void>;
  /** Several gaps in one go (the app collects them off the request path). */
  recordGaps(inputs: readonly GapInput[]): Promise<void>;
  listGaps(since: Date, limit?: number): Promise<Gap[]>;
  pruneGaps(now: Date): Promise<number>;

  /** Claims a Slack event for this process until `expiresAt`: false when another already has it. */
  claimEvent(key: string, now: Date, expiresAt: Date): Promise<boolean>;
  /** Deletes the event claims expired at `now`; returns how many. */
  sweepEventClaims(now: Date): Promise<number>;
  /** Installs over OAuth (installations.ts); tokens stay sealed here, slack/installation-store.ts opens them. */
  saveInstallation(row: InstallationRow): Promise<void>;
  findInstallation(key: InstallationKey): Promise<InstallationRow | undefined>;
  installationForTeam(teamId: string): Promise<InstallationRow | undefined>;
  rememberOrgTeam(teamId: string, enterpriseId: string, now: Date): Promise<void>;
  withInstallationLocked<T>(
    key: InstallationKey,
    work: (row: InstallationRow | undefined, save: (row: InstallationRow) => Promise<void>) => Promise<T>,
  ): Promise<T>;
  listInstallations(
    after: { enterprise_id: string; team_id: string } | null,
    limit: number,
  ): Promise<InstallationRow[]>;
  useOAuthState(stateHash: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Deletes the install and every row of the workspaces it served (uninstall.ts). */
  uninstall(key: InstallationKey): Promise<UninstallReport>;

  /** Deletes every row about the person; channel subscriptions they set up lose their name. */
  forgetUser(teamId: string, userId: string): Promise<ForgetReport>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** Deletes every row about the person, in one transaction over every table that has them. */
function forgetUser(db: Kysely<Database>, teamId: string, userId: string): Promise<ForgetReport> {
  return db.transaction().execute(async (trx) => {
    const subs = await subscriptions.forgetUserSubscriptions(trx, teamId, userId);
    // Before the answers go: which summaries counted them is read from their answers.
    const summariesRedrawn = await summaries.markStaleForUser(trx, teamId, userId);
    await optins.forgetUserOptins(trx, teamId, userId);
    return {
      intendedFocus: await intended.forgetUserIntendedFocus(trx, teamId, userId),
      summariesRedrawn,
      subscriptions: subs.deleted,
      channelSubscriptionsAnonymised: subs.anonymised,
      deliveries: await deliveries.forgetUserDeliveries(trx, teamId, userId),
      answers: await answers.forgetUserAnswers(trx, teamId, userId),
      feedback: await feedback.forgetUserFeedback(trx, teamId, userId),
    };
  });
}

/** The store over an already migrated database; `healthDeadlineMs` bounds `health()`. */
export function createStore(
  db: Kysely<Database>,
  dialect: DialectName,
  healthDeadlineMs?: number,
  /** Looks at the SQLite file now (the health check does not wait for the periodic look). */
  verifyFile?: () => void,
): Store {
  return {
    dialect,
    upsertSubscription: (input) => subscriptions.upsertSubscription(db, input),
    getSubscription: (id) => subscriptions.getSubscription(db, id),
    findSubscription: (target) => subscriptions.findSubscription(db, target),
    listSubscriptionsForUser: (teamId, userId) => subscriptions.listSubscriptionsForUser(db, teamId, userId),
    listDueSubscriptions: (now, page) => subscriptions.listDueSubscriptions(db, now, page),
    rescheduleSubscription: (id, input) => subscriptions.rescheduleSubscription(db, id, input),
    listZoneChecksDue: (window) => subscriptions.listZoneChecksDue(db, window),
    pauseSubscription: (id, reason, now) => subscriptions.pauseSubscription(db, id, reason, now),
    resumeSubscription: (id, next, now) => subscriptions.resumeSubscription(db, id, next, now),
    setSkipNext: (id, skipNext, now) => subscriptions.setSkipNext(db, id, skipNext, now),
    deleteSubscription: (target) => subscriptions.deleteSubscription(db, target),

    claimDueDelivery:
      dialect === "postgres"
        ? async (input) => {
            const claimed = await claims.claimDueDeliveryAtOnce(db, input);
            return claimed === "other" ? claims.claimDueDelivery(db, input) : claimed;
          }
        : (input) => claims.claimDueDelivery(db, input),
    claimDueDeliveries: (inputs) => claimDueDeliveries(db, dialect, inputs),
    recordUnsentDelivery: (input) => claims.recordUnsentDelivery(db, input),
    listRetryableDeliveries: (now, limit) => deliveries.listRetryableDeliveries(db, now, limit),
    reclaimDelivery: (id, lease) => deliveries.reclaimDelivery(db, id, lease),
    extendDeliveryLease: (id, lease) => deliveries.extendDeliveryLease(db, id, lease),
    markDeliverySent: batchedMarkSent(db, dialect),
    markDeliveryRetrying: (id, retry) => deliveries.markDeliveryRetrying(db, id, retry),
    markDeliveryFailed: (id, failure) => deliveries.markDeliveryFailed(db, id, failure),
    markDeliveryMissed: (id, missed) => deliveries.markDeliveryMissed(db, id, missed),
    markDeliveryCancelled: (id, cancelled) => deliveries.markDeliveryCancelled(db, id, cancelled),
    getDelivery: (id) => deliveries.getDelivery(db, id),
    listDeliveries: (subscriptionId) => deliveries.listDeliveries(db, subscriptionId),

    recordAnswer: (input) => answers.recordAnswer(db, input),
    getAnswer: (deliveryId, userId) => answers.getAnswer(db, deliveryId, userId),
    setAnswerNote: (deliveryId, userId, note) => answers.setAnswerNote(db, deliveryId, userId, note),
    answerHistory: (teamId, userId, options) => answers.answerHistory(db, teamId, userId, options),

    listNotes: (teamId, userId, limit) => answers.listNotes(db, teamId, userId, limit),
    recentChoices: (teamId, userId, limit) => answers.recentChoices(db, teamId, userId, limit),
    answersTo: (ids) => answers.answersTo(db, ids),
    firstPromptAt: (teamId, userId) => answers.firstPromptAt(db, teamId, userId),

    getIntendedFocus: (teamId, userId) => intended.getIntendedFocus(db, teamId, userId),
    listIntendedFocusHolders: () => intended.listIntendedFocusHolders(db),
    setIntendedFocus: (teamId, userId, level, now) =>
      intended.setIntendedFocus(db, teamId, userId, level, now),
    claimNudge: (teamId, userId, now) => intended.claimNudge(db, teamId, userId, now),

    setNameShown: (target, shown, now) => optins.setNameShown(db, target, shown, now),
    namedMembers: (teamId, channelId) => optins.namedMembers(db, teamId, channelId),

    listSummariesDue: (window) => summaries.listSummariesDue(db, window),
    claimSummary: (due, claim) => summaries.claimSummary(db, due, claim),
    finishSummary: (id, outcome) => summaries.finishSummary(db, id, outcome),
    releaseSummary: (id) => summaries.releaseSummary(db, id),
    listStaleSummaries: (limit) => summaries.listStaleSummaries(db, limit),
    listChannelSummaries: (teamId, channelId, from, until) =>
      summaries.listChannelSummaries(db, teamId, channelId, from, until),

    pruneExpired: (cutoff) =>
      db.transaction().execute(async (trx) => ({
        answers: await answers.deleteAnswersBefore(trx, cutoff),
        summaries: await summaries.deleteSummariesBefore(trx, cutoff),
        deliveries: await deliveries.deleteDeliveriesBefore(trx, cutoff),
      })),

    recordFeedback: (input) => feedback.recordFeedback(db, input),

    recordGap: (input) => gaps.recordGap(db, input),
    recordGaps: (inputs) => gaps.recordGaps(db, inputs),
    listGaps: (since, limit) => gaps.listGaps(db, since, limit),
    pruneGaps: (now) => gaps.pruneGaps(db, now),

    claimEvent: (key, now, expiresAt) => eventClaims.claimEvent(db, key, now, expiresAt),
    sweepEventClaims: (now) => eventClaims.sweepEventClaims(db, now),
    saveInstallation: (row) => installs.saveInstallation(db, row),
    findInstallation: (key) => installs.findInstallation(db, key),
    installationForTeam: (teamId) => installs.installationForTeam(db, teamId),
    rememberOrgTeam: (teamId, enterpriseId, now) => installs.rememberOrgTeam(db, teamId, enterpriseId, now),
    withInstallationLocked: (key, work) => installs.withInstallationLocked(db, dialect, key, work),
    listInstallations: (after, limit) => installs.listInstallations(db, after, limit),
    useOAuthState: (hash, expiresAt, now) => installs.useOAuthState(db, hash, expiresAt, now),
    uninstall: (key) => uninstall(db, key),

    forgetUser: (teamId, userId) => forgetUser(db, teamId, userId),
    health: () => storeHealth(db, dialect, healthDeadlineMs, verifyFile),
    close: () => db.destroy(),
  };
}
