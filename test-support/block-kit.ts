import { validateContextActions } from "./fake-assistant.js";

/*
 * The Block Kit limits the fake Slack enforces, with Slack-style problem strings
 * ("… [json-pointer:/blocks/0/text/text]"). Slack refuses a message or view that breaks any of them.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkLength(value: unknown, max: number, pointer: string, problems: string[]): void {
  if (typeof value === "string" && value.length > max) {
    problems.push(`must be less than ${max + 1} characters [json-pointer:${pointer}]`);
  }
}

/**
 * A text object: Slack refuses one whose `text` is empty ("must be more than 0 characters") or over
 * `max`, and a `mrkdwn` one where only `plain_text` is allowed (headers, buttons, options, titles).
 */
function checkTextObject(
  value: unknown,
  max: number,
  pointer: string,
  problems: string[],
  plainOnly = false,
): void {
  if (!isRecord(value)) return;
  if (plainOnly && value.type !== "plain_text") {
    problems.push(`must be a plain_text object [json-pointer:${pointer}/type]`);
  }
  if (typeof value.text !== "string" || value.text === "") {
    problems.push(`must be more than 0 characters [json-pointer:${pointer}/text]`);
  }
  checkLength(value.text, max, `${pointer}/text`, problems);
}

/** An option of a select menu: plain_text text (75) and a value (150). */
function checkOption(option: unknown, pointer: string, problems: string[]): void {
  if (!isRecord(option)) return;
  checkTextObject(option.text, 75, `${pointer}/text`, problems, true);
  checkLength(option.value, 150, `${pointer}/value`, problems);
}

/** A confirmation dialog: title 100, text 300, confirm and deny 30. */
function checkConfirm(confirm: unknown, pointer: string, problems: string[]): void {
  if (!isRecord(confirm)) return;
  checkTextObject(confirm.title, 100, `${pointer}/title`, problems, true);
  checkTextObject(confirm.text, 300, `${pointer}/text`, problems);
  checkTextObject(confirm.confirm, 30, `${pointer}/confirm`, problems, true);
  checkTextObject(confirm.deny, 30, `${pointer}/deny`, problems, true);
}

function checkElement(element: unknown, pointer: string, problems: string[]): void {
  if (!isRecord(element)) return;
  checkLength(element.action_id, 255, `${pointer}/action_id`, problems);
  checkConfirm(element.confirm, `${pointer}/confirm`, problems);
  if (element.type === "button") {
    checkTextObject(element.text, 75, `${pointer}/text`, problems, true);
    checkLength(element.value, 2000, `${pointer}/value`, problems);
    checkLength(element.url, 3000, `${pointer}/url`, problems);
  } else if (element.type === "static_select" || element.type === "overflow") {
    const options = Array.isArray(element.options) ? element.options : [];
    if (options.length > 100)
      problems.push(`no more than 100 items allowed [json-pointer:${pointer}/options]`);
    options.forEach((option: unknown, i) => {
      checkOption(option, `${pointer}/options/${i}`, problems);
    });
    checkOption(element.initial_option, `${pointer}/initial_option`, problems);
  }
}

/** The Block Kit limits em-focus can plausibly hit, with Slack-style problem strings. */
export function validateBlocks(blocks: unknown, maxBlocks: number): string[] {
  if (!Array.isArray(blocks)) return ["must be an array [json-pointer:/blocks]"];
  const problems: string[] = [];
  if (blocks.length > maxBlocks) {
    problems.push(`no more than ${maxBlocks} items allowed [json-pointer:/blocks]`);
  }
  const blockIds = new Set<unknown>();
  blocks.forEach((block: unknown, index) => {
    const at = `/blocks/${index}`;
    if (!isRecord(block) || typeof block.type !== "string") {
      problems.push(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    checkLength(block.block_id, 255, `${at}/block_id`, problems);
    // Slack refuses a message whose blocks share a block_id, or a block whose elements share an action_id.
    if (block.block_id !== undefined) {
      if (blockIds.has(block.block_id)) problems.push(`duplicate block_id [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    if (Array.isArray(block.elements)) {
      const actionIds = block.elements
        .map((element: unknown) => (isRecord(element) ? element.action_id : undefined))
        .filter((id: unknown) => id !== undefined);
      if (new Set(actionIds).size !== actionIds.length) {
        problems.push(`duplicate action_id [json-pointer:${at}/elements]`);
      }
    }
    if (block.type === "section") {
      if (block.text === undefined && block.fields === undefined) {
        problems.push(`must provide either text or fields [json-pointer:${at}]`);
      }
      checkTextObject(block.text, 3000, `${at}/text`, problems);
      if (Array.isArray(block.fields)) {
        if (block.fields.length > 10) {
          problems.push(`no more than 10 items allowed [json-pointer:${at}/fields]`);
        }
        block.fields.forEach((field: unknown, i) => {
          checkTextObject(field, 2000, `${at}/fields/${i}`, problems);
        });
      }
      checkElement(block.accessory, `${at}/accessory`, problems);
    } else if (block.type === "context_actions") {
      validateContextActions(block, at, problems);
    } else if (block.type === "header") {
      checkTextObject(block.text, 150, `${at}/text`, problems, true);
    } else if (block.type === "context") {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > 10) {
        problems.push(`must provide 1 to 10 items [json-pointer:${at}/elements]`);
      }
      elements.forEach((element: unknown, i) => {
        if (isRecord(element) && element.type !== "image") {
          checkTextObject(element, 3000, `${at}/elements/${i}`, problems);
        }
      });
    } else if (block.type === "input") {
      checkTextObject(block.label, 2000, `${at}/label`, problems, true);
      checkElement(block.element, `${at}/element`, problems);
    } else if (block.type === "actions" && Array.isArray(block.elements)) {
      if (block.elements.length > 25) {
        problems.push(`no more than 25 items allowed [json-pointer:${at}/elements]`);
      }
      block.elements.forEach((element: unknown, i) => {
        checkElement(element, `${at}/elements/${i}`, problems);
      });
    }
  });
  return problems;
}

/**
 * A view for views.open / views.publish: its blocks (100), and for a modal the plain_text title (24),
 * submit and close (24); private_metadata 3,000 and callback_id 255 for both kinds.
 */
export function validateView(view: Record<string, unknown>): string[] {
  const problems = validateBlocks(view.blocks ?? [], 100).map((p) =>
    p.replace("[json-pointer:/", "[json-pointer:/view/"),
  );
  checkLength(view.private_metadata, 3000, "/view/private_metadata", problems);
  checkLength(view.callback_id, 255, "/view/callback_id", problems);
  if (view.type === "modal") {
    if (!isRecord(view.title)) problems.push("missing required field: title [json-pointer:/view]");
    checkTextObject(view.title, 24, "/view/title", problems, true);
    checkTextObject(view.submit, 24, "/view/submit", problems, true);
    checkTextObject(view.close, 24, "/view/close", problems, true);
  }
  return problems;
}
