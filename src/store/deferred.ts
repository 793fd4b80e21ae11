import type { Store } from "./types.js";

/**
 * A Store that can be handed out before the database is open: every call waits for the opening.
 * The bot starts answering questions (which need no database) while the driver and Kysely load.
 */
export function deferStore(opening: Promise<Store>): Store {
  return new Proxy({} as Store, {
    get(_target, name: string | symbol) {
      if (name === "then") return undefined; // not a thenable: `await store` must not unwrap it
      return async (...args: unknown[]) => {
        const store = await opening;
        const method = store[name as keyof Store] as (...a: unknown[]) => unknown;
        return method.apply(store, args);
      };
    },
  });
}
