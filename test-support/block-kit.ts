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

function checkTextObject(value: unknown, max: number, pointer: string, problems: string[]): void {
  if (isRecord(value)) checkLength(value.text, max, `${pointer}/text`, problems);
}

function checkElement(element: unknown, pointer: string, problems: string[]): void {
  if (!isRecord(element)) return;
  checkLength(element.action_id, 255, `${pointer}/action_id`, problems);
  if (element.type === "button") {
    checkTextObject(element.text, 75, `${pointer}/text`, problems);
    checkLength(element.value, 2000, `${pointer}/value`, problems);
    checkLength(element.url, 3000, `${pointer}/url`, problems);
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
      checkTextObject(block.text, 150, `${at}/text`, problems);
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
