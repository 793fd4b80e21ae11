import { describe, expect, it } from "vitest";
import type { Prompt } from "../src/content/prompts.js";
import { nextPromptFor } from "../src/prompts/rotation.js";
import {
  formatSchedule,
  isValidTimeZone,
  nextPromptAt,
  type PromptSchedule,
  parseSchedule,
  sameWeekPromptAt,
} from "../src/prompts/schedule.js";

/** "Mon 09:00": the weekday and wall-clock time of `date` in `timeZone`. */
function localWeekdayTime(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.hour}:${parts.minute}`;
}

const iso = (date: Date) => date.toISOString();
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const MONDAY_9: PromptSchedule = { weekday: 1, time: "09:00" };
const SUNDAY_0230: PromptSchedule = { weekday: 0, time: "02:30" };

describe("parseSchedule", () => {
  it.each([
    ["", 1, "09:00"],
    ["   ", 1, "09:00"],
    ["mon", 1, "09:00"],
    ["Monday", 1, "09:00"],
    ["tue 9:30", 2, "09:30"],
    ["Tues 09:30", 2, "09:30"],
    ["tuesday", 2, "09:00"],
    ["wed 14:00", 3, "14:00"],
    ["Weds", 3, "09:00"],
    ["thu 9am", 4, "09:00"],
    ["thurs 9:30pm", 4, "21:30"],
    ["Thur noon", 4, "12:00"],
    ["THURSDAY 12pm", 4, "12:00"],
    ["fri 12am", 5, "00:00"],
    ["friday 4 PM", 5, "16:00"],
    ["sat midnight", 6, "00:00"],
    ["sun 23:59", 0, "23:59"],
    ["9am", 1, "09:00"],
    ["noon", 1, "12:00"],
    ["7:05", 1, "07:05"],
    ["16:45 friday", 5, "16:45"],
    ["on Mondays at 8.30am", 1, "08:30"],
    ["tue, 9:30", 2, "09:30"],
    ["fri 5 p.m.", 5, "17:00"],
  ])("reads %j as weekday %i at %s", (text, weekday, time) => {
    expect(parseSchedule(text)).toEqual({ ok: true, weekday, time });
  });

  it.each([
    ["Mon 25:00", "The hour must be 0–23 (got 25)."],
    ["mon 9:60", "The minutes must be 00–59 (got 60)."],
    ["13pm", "With am/pm the hour must be 1–12 (got 13)."],
    ["0am", "With am/pm the hour must be 1–12 (got 0)."],
    ["mon 9", '"9" could be morning or evening: write 9:00, 9am or 9pm.'],
    ["someday", `I couldn't read "someday" as a day or a time.`],
    ["mon tue", "Give one day only: prompts come once a week."],
    ["9am 10am", "Give one time only."],
    ["9:3", `"9:3" is not a time I can read.`],
  ])("explains what is wrong with %j and shows examples", (text, problem) => {
    const parsed = parseSchedule(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain(problem);
    expect(parsed.message).toContain("`/em-focus subscribe tue 9:30`");
  });

  it("formats a schedule for people", () => {
    expect(formatSchedule({ weekday: 4, time: "16:30" })).toBe("Thursday 16:30");
  });
});

describe("nextPromptAt", () => {
  it("is strictly after the reference", () => {
    const first = nextPromptAt(MONDAY_9, "Europe/Berlin", new Date("2026-03-01T00:00:00Z"));
    expect(iso(first)).toBe("2026-03-02T08:00:00.000Z");
    expect(iso(nextPromptAt(MONDAY_9, "Europe/Berlin", first))).toBe("2026-03-09T08:00:00.000Z");
    expect(iso(nextPromptAt(MONDAY_9, "Europe/Berlin", new Date(first.getTime() - 1)))).toBe(iso(first));
  });

  describe.each([
    ["America/New_York", "2026-01-01T00:00:00Z"],
    ["Europe/Berlin", "2026-01-01T00:00:00Z"],
    ["Asia/Kolkata", "2026-01-01T00:00:00Z"],
    ["Pacific/Auckland", "2026-01-01T00:00:00Z"],
  ])("in %s", (timeZone, start) => {
    it("keeps the local weekday and time every week of the year, across DST", () => {
      let at = new Date(start);
      for (let week = 0; week < 53; week++) {
        const next = nextPromptAt(MONDAY_9, timeZone, at);
        expect(localWeekdayTime(next, timeZone)).toBe("Mon 09:00");
        if (week > 0) expect(Math.abs(next.getTime() - at.getTime() - 7 * DAY)).toBeLessThanOrEqual(HOUR);
        at = next;
      }
    });
  });

  it("follows the US switches of 2026 (Mar 8, Nov 1)", () => {
    const zone = "America/New_York";
    expect(iso(nextPromptAt(MONDAY_9, zone, new Date("2026-03-03T00:00:00Z")))).toBe(
      "2026-03-09T13:00:00.000Z",
    );
    expect(iso(nextPromptAt(MONDAY_9, zone, new Date("2026-02-24T00:00:00Z")))).toBe(
      "2026-03-02T14:00:00.000Z",
    );
    expect(iso(nextPromptAt(MONDAY_9, zone, new Date("2026-10-27T00:00:00Z")))).toBe(
      "2026-11-02T14:00:00.000Z",
    );
    // 02:30 does not exist on Mar 8: the first valid instant after the gap is 03:00 EDT.
    expect(iso(nextPromptAt(SUNDAY_0230, zone, new Date("2026-03-07T00:00:00Z")))).toBe(
      "2026-03-08T07:00:00.000Z",
    );
    // 01:30 happens twice on Nov 1: the first one (EDT) counts.
    const oneThirty: PromptSchedule = { weekday: 0, time: "01:30" };
    expect(iso(nextPromptAt(oneThirty, zone, new Date("2026-10-31T00:00:00Z")))).toBe(
      "2026-11-01T05:30:00.000Z",
    );
    expect(iso(nextPromptAt(oneThirty, zone, new Date("2026-11-01T05:30:00Z")))).toBe(
      "2026-11-08T06:30:00.000Z",
    );
  });

  it("follows the EU switches of 2026 (Mar 29, Oct 25)", () => {
    const zone = "Europe/Berlin";
    expect(iso(nextPromptAt(MONDAY_9, zone, new Date("2026-03-24T00:00:00Z")))).toBe(
      "2026-03-30T07:00:00.000Z",
    );
    expect(iso(nextPromptAt(MONDAY_9, zone, new Date("2026-10-20T00:00:00Z")))).toBe(
      "2026-10-26T08:00:00.000Z",
    );
    expect(iso(nextPromptAt(SUNDAY_0230, zone, new Date("2026-03-28T00:00:00Z")))).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    expect(iso(nextPromptAt(SUNDAY_0230, zone, new Date("2026-10-24T00:00:00Z")))).toBe(
      "2026-10-25T00:30:00.000Z",
    );
  });

  it("follows the New Zealand switches of 2026 (Apr 5, Sep 27), on the local weekday", () => {
    const zone = "Pacific/Auckland";
    // Monday 09:00 in Auckland is still Sunday in UTC.
    expect(iso(nextPromptAt(MONDAY_9, zone, new Date("2026-03-25T00:00:00Z")))).toBe(
      "2026-03-29T20:00:00.000Z",
    );
    expect(iso(nextPromptAt(MONDAY_9, zone, new Date("2026-04-01T00:00:00Z")))).toBe(
      "2026-04-05T21:00:00.000Z",
    );
    expect(iso(nextPromptAt(MONDAY_9, zone, new Date("2026-09-22T00:00:00Z")))).toBe(
      "2026-09-27T20:00:00.000Z",
    );
    expect(iso(nextPromptAt(SUNDAY_0230, zone, new Date("2026-09-25T00:00:00Z")))).toBe(
      "2026-09-26T14:00:00.000Z",
    );
    expect(iso(nextPromptAt(SUNDAY_0230, zone, new Date("2026-04-03T00:00:00Z")))).toBe(
      "2026-04-04T13:30:00.000Z",
    );
  });

  it("has no DST in Asia/Kolkata: every week is exactly seven days", () => {
    const zone = "Asia/Kolkata";
    const first = nextPromptAt(MONDAY_9, zone, new Date("2026-03-01T00:00:00Z"));
    expect(iso(first)).toBe("2026-03-02T03:30:00.000Z");
    const later = nextPromptAt(MONDAY_9, zone, new Date("2026-10-31T00:00:00Z"));
    expect((later.getTime() - first.getTime()) % (7 * DAY)).toBe(0);
  });

  it("finds the same week's prompt after a move of time zone", () => {
    const inBerlin = new Date("2026-03-09T08:00:00Z");
    expect(iso(sameWeekPromptAt(MONDAY_9, "America/New_York", inBerlin))).toBe("2026-03-09T13:00:00.000Z");
    expect(iso(sameWeekPromptAt(MONDAY_9, "Pacific/Auckland", inBerlin))).toBe("2026-03-08T20:00:00.000Z");
    expect(iso(sameWeekPromptAt(MONDAY_9, "Pacific/Kiritimati", inBerlin))).toBe("2026-03-08T19:00:00.000Z");
    expect(iso(sameWeekPromptAt(MONDAY_9, "Pacific/Pago_Pago", inBerlin))).toBe("2026-03-09T20:00:00.000Z");
    expect(iso(sameWeekPromptAt(MONDAY_9, "Europe/Berlin", inBerlin))).toBe(iso(inBerlin));
  });

  it("tells valid time zones from invalid ones", () => {
    expect(isValidTimeZone("Asia/Kolkata")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});

describe("nextPromptFor (rotation)", () => {
  const prompt = (id: string, order: number): Prompt => ({ id, order, level: null, text: `Prompt ${id}` });
  const prompts = [prompt("c", 3), prompt("a", 1), prompt("b", 2)];

  it("walks the prompts in order without repeats, then starts over", () => {
    let used: readonly string[] = [];
    const seen: string[] = [];
    const restarts: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      const next = nextPromptFor(prompts, used);
      if (!next) throw new Error("no prompt");
      seen.push(next.prompt.id);
      restarts.push(next.startedOver);
      used = next.promptsUsed;
    }
    expect(seen).toEqual(["a", "b", "c", "a", "b", "c", "a"]);
    expect(restarts).toEqual([false, false, false, true, false, false, true]);
  });

  it("ignores prompts that were removed and picks up new ones in the current pass", () => {
    expect(nextPromptFor(prompts, ["a", "gone"])).toMatchObject({
      prompt: { id: "b" },
      promptsUsed: ["a", "b"],
    });
    const added = [...prompts, prompt("first", 0)];
    expect(nextPromptFor(added, ["a", "b"])?.prompt.id).toBe("first");
  });

  it("has nothing to give without prompts", () => {
    expect(nextPromptFor([], [])).toBeUndefined();
  });
});
