/*
 * The store's types in one import, for code outside src/store. Each is defined in the module that
 * owns it: the table modules here, schedules in src/prompts, answer choices and intended focus in
 * src/domain.
 */
export type { AnswerChoice, Drift, IntendedFocus } from "../domain/focus.js";
export type { PromptSchedule, Weekday } from "../prompts/schedule.js";
export type { Delivery, DeliveryStatus, LeaseInput } from "./deliveries.js";
export type { ClaimDueDeliveryInput, DueTime, RecordUnsentDeliveryInput } from "./delivery-claims.js";
export type { Feedback, FeedbackInput, Vote } from "./feedback.js";
export type { Gap, GapInput, GapOutcome } from "./gaps.js";
export type { StoreHealth } from "./health.js";
export type { AnswerHistory, HistoryOptions, HistoryWeek } from "./history.js";
export type { InstallationKey, InstallationRow } from "./installations.js";
export type { IntendedFocusRow } from "./intended-focus.js";
export type { NoteEntry, PromptAnswer, PromptAnswerInput } from "./prompt-answers.js";
export type { DialectName, SubscriptionTarget, TargetType } from "./rows.js";
export type { ForgetReport, RetentionReport, Store } from "./store.js";
export type {
  DueSubscriptionsPage,
  RescheduleInput,
  Subscription,
  SubscriptionInput,
} from "./subscriptions.js";
export type { PostedSummary, SummaryDue, SummaryStatus } from "./team-summaries.js";
export type { UninstallReport } from "./uninstall.js";
