import type { Store } from "./types.js";

/**
 * The database failed (it is down, its file is gone, a write was refused). Listeners let it through;
 * the app's error handler tells the person "nothing was saved — try again" and logs it.
 */
export class StoreError extends Error {
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`The store failed in ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "StoreError";
  }
}

/**
 * A Store that can be handed out before the database is open: every call waits for the opening.
 * The bot starts answering questions (which need no database) while the driver and Kysely load.
 * Every failure of a call comes out as a StoreError, so the app can tell it from its own bugs.
 */
export function deferStore(opening: Promise<Store>): Store {
  return new Proxy({} as Store, {
    get(_target, name: string | symbol) {
      if (name === "then") return undefined; // not a thenable: `await store` must not unwrap it
      return async (...args: unknown[]) => {
        const store = await opening;
        const method = store[name as keyof Store] as (...a: unknown[]) => unknown;
        try {
          return await method.apply(store, args);
        } catch (error) {
          throw error instanceof StoreError ? error : new StoreError(String(name), error);
        }
      };
    },
  });
}
