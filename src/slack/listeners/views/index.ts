import type { BotDeps } from "../../deps.js";
import { SCHEDULE_MODAL } from "../../views/home.js";
import { NOTE_MODAL } from "../../views/prompt.js";
import type { Listeners } from "../registry.js";
import { saveNote } from "./note.js";
import { saveSchedule } from "./schedule.js";

export function registerViews(listeners: Listeners, deps: BotDeps): void {
  listeners.submission(NOTE_MODAL, saveNote(deps));
  listeners.submission(SCHEDULE_MODAL, saveSchedule(deps));
}
