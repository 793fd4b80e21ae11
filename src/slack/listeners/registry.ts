import type {
  App,
  BlockAction,
  ButtonAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
export type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;

/**
 * Registers button and modal listeners, and remembers their ids as it does: the app knows which
 * clicks and submissions it answers from the registrations themselves, with no second list to
 * keep in step. Anything else is acknowledged and dropped (see `isHandled`).
 */
export class Listeners {
  private readonly actions = new Set<string>();
  private readonly modals = new Set<string>();

  constructor(readonly app: App) {}

  /** A button (or another block action, such as feedback buttons), by its `action_id`. */
  button<Action extends BlockAction = BlockAction<ButtonAction>>(
    actionId: string,
    listener: Middleware<SlackActionMiddlewareArgs<Action>>,
  ): void {
    this.actions.add(actionId);
    this.app.action<Action>(actionId, listener);
  }

  /** A modal's submission, by its `callback_id`. */
  submission(callbackId: string, listener: Middleware<SubmissionArgs>): void {
    this.modals.add(callbackId);
    this.app.view<ViewSubmitAction>(callbackId, listener);
  }

  handlesButton(actionId: string): boolean {
    return this.actions.has(actionId);
  }

  handlesSubmission(callbackId: string): boolean {
    return this.modals.has(callbackId);
  }
}
