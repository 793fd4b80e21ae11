export {
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_LATENESS_MS,
  DEFAULT_RETRY_DELAYS_MS,
  type DeliverOptions,
  type DeliveryLogger,
  type DeliveryReport,
  defaultInstanceId,
  deliverDuePrompts,
  type PromptSlackClient,
} from "./deliver.js";
export {
  choiceFromAction,
  PROMPT_ANSWER_ACTIONS,
  PROMPT_ANSWER_LABELS,
  type PromptMessage,
  type RenderPrompt,
  renderPromptMessage,
  type SlackBlock,
} from "./render.js";
export { type NextPrompt, nextPromptFor } from "./rotation.js";
export {
  DEFAULT_SCHEDULE,
  formatSchedule,
  isValidTimeZone,
  MAX_ZONE_SHIFT_MS,
  nextPromptAt,
  type PromptSchedule,
  parseSchedule,
  type ScheduleParse,
  sameWeekPromptAt,
  WEEKDAY_NAMES,
  type Weekday,
} from "./schedule.js";
export { type PromptDelivery, type PromptDeliveryOptions, startPromptDelivery } from "./scheduler.js";
export { classifySlackError, PAUSING_ERRORS, type SlackFailure } from "./slack-errors.js";
