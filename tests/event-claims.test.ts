import type { Logger } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EVENT_MEMORY_MS, SharedEvents } from "../src/slack/dedupe.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/types.js";
import { TEST_DATABASES, testDatabase } from "./helpers/postgres.js";

/*
 * Issue 19, item 7: the event memory several instances share. The store's claim and sweep on
 * SQLite and (with TEST_DATABASE_URL) PostgreSQL; SharedEvents over it, its sweep and its failures.
 */

const T0 = new Date("2026-07-01T09:00:00Z");
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);

/** A Logger whose calls can be looked at. */
function quietLogger() {
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return logger as unknown as Logger & typeof logger;
}

describe.each(TEST_DATABASES)("event claims in the store ($name)", ({ postgresUrl }) => {
  let store: Store;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    const database = await testDatabase(postgresUrl, "event-claims");
    drop = database.drop;
    store = await openStore(database.url);
  });
  afterEach(async () => {
    await store?.close();
    await drop?.();
  });

  it("gives a key to the first claim only; another key is its own", async () => {
    expect(await store.claimEvent("Ev0001", T0, plus(T0, EVENT_MEMORY_MS))).toBe(true);
    expect(await store.claimEvent("Ev0001", plus(T0, 1_000), plus(T0, EVENT_MEMORY_MS))).toBe(false);
    expect(await store.claimEvent("Ev0002", T0, plus(T0, EVENT_MEMORY_MS))).toBe(true);
  });

  it("lets exactly one of many concurrent claims of a key win", async () => {
    const wins = await Promise.all(
      Array.from({ length: 12 }, () => store.claimEvent("EvRACE", T0, plus(T0, EVENT_MEMORY_MS))),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it("sweeps claims once expired, and only those", async () => {
    await store.claimEvent("EvOLD", T0, plus(T0, 60_000));
    await store.claimEvent("EvNEW", plus(T0, 30_000), plus(T0, 90_000));
    expect(await store.sweepEventClaims(plus(T0, 59_999))).toBe(0);
    expect(await store.sweepEventClaims(plus(T0, 60_000))).toBe(1);
    // The expired key is free again; the other is still held.
    expect(await store.claimEvent("EvOLD", plus(T0, 60_000), plus(T0, 120_000))).toBe(true);
    expect(await store.claimEvent("EvNEW", plus(T0, 60_000), plus(T0, 120_000))).toBe(false);
  });

  it("SharedEvents sweeps expired claims from the next request after its interval", async () => {
    let now = T0.getTime();
    const logger = quietLogger();
    const events = new SharedEvents(store, logger, { ttlMs: 60_000, sweepEveryMs: 30_000, now: () => now });
    expect(await events.firstTime("EvA")).toBe(true);
    now += 61_000;
    const sweep = vi.spyOn(store, "sweepEventClaims");
    expect(await events.firstTime("EvB")).toBe(true);
    expect(sweep).toHaveBeenCalledTimes(1);
    await sweep.mock.results[0]?.value;
    // EvA's row is gone: a new claim of it succeeds in the store itself.
    expect(await store.claimEvent("EvA", new Date(now), new Date(now + 60_000))).toBe(true);
    // Within the interval, no second sweep.
    now += 10_000;
    await events.firstTime("EvC");
    expect(sweep).toHaveBeenCalledTimes(1);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});

describe("SharedEvents when the shared store fails", () => {
  const failing = (claim: () => Promise<boolean>) => ({
    claimEvent: vi.fn(claim),
    sweepEventClaims: vi.fn(async () => 0),
  });

  it("answers an event the store cannot claim (it refuses), warns, and still answers a retry here only once", async () => {
    const store = failing(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    });
    const logger = quietLogger();
    const events = new SharedEvents(store, logger);
    expect(await events.firstTime("EvDOWN")).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("EvDOWN"));
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("ECONNREFUSED"));
    // The retry comes back to this process: remembered here, not answered again.
    expect(await events.firstTime("EvDOWN")).toBe(false);
    expect(store.claimEvent).toHaveBeenCalledTimes(1);
  });

  it("does not wait for a store that does not answer: the claim gives up at its deadline", async () => {
    const store = failing(() => new Promise<boolean>(() => {}));
    const logger = quietLogger();
    const events = new SharedEvents(store, logger, { claimDeadlineMs: 50 });
    expect(await events.firstTime("EvHUNG")).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("no answer within 50 ms"));
  });

  it("does not answer an event another instance claimed", async () => {
    const store = failing(async () => false);
    const events = new SharedEvents(store, quietLogger());
    expect(await events.firstTime("EvTAKEN")).toBe(false);
  });

  it("a failed sweep is logged and changes nothing for the request", async () => {
    let now = T0.getTime();
    const store = {
      claimEvent: vi.fn(async () => true),
      sweepEventClaims: vi.fn(async () => {
        throw new Error("relation is locked");
      }),
    };
    const logger = quietLogger();
    const events = new SharedEvents(store, logger, { sweepEveryMs: 1_000, now: () => now });
    now += 2_000;
    expect(await events.firstTime("EvSWEEP")).toBe(true);
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("Could not sweep")),
    );
  });
});
