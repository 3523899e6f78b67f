import { AsyncLocalStorage } from "node:async_hooks";

const current = new AsyncLocalStorage<string>();

/**
 * The request id of the HTTP request being answered, for the few places that run before (or without)
 * a procedure's context: tRPC errors raised while reading the request (bad batch, unknown procedure).
 */
export const requestIdScope = {
  run: <T>(requestId: string, work: () => T): T => current.run(requestId, work),
  get: (): string | undefined => current.getStore(),
};
