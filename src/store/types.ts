/*
 * The store's types in one import, for code outside src/store. Each is defined in the module that
 * owns it: the table modules here, schedules and answer choices in src/prompts.
 */
export type { AnswerChoice } from "../prompts/answer-choice.js";
export type { PromptSchedule, Weekday } from "../prompts/schedule.js";
export type { Delivery, DeliveryStatus, LeaseInput } from "./deliveries.js";
export type { ClaimDueDeliveryInput, DueTime, RecordUnsentDeliveryInput } from "./delivery-claims.js";
export type { Feedback, FeedbackInput, Vote } from "./feedback.js";
export type { Gap, GapInput, GapOutcome } from "./gaps.js";
export type { StoreHealth } from "./health.js";
export type { AnswerHistory, HistoryOptions, HistoryWeek } from "./history.js";
export type { PromptAnswer, PromptAnswerInput } from "./prompt-answers.js";
export type { DialectName, SubscriptionTarget, TargetType } from "./rows.js";
export type { ForgetReport, Store } from "./store.js";
export type {
  DueSubscriptionsPage,
  RescheduleInput,
  Subscription,
  SubscriptionInput,
} from "./subscriptions.js";
