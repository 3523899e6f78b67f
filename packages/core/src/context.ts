import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { ClientScope } from "./client-vocabulary.ts";
import type { Role } from "./user-vocabulary.ts";

/** Who is calling. Set once at the edge (a transport, a CLI, a consumer) and read by the domain. */
export type Actor =
  | { kind: "user"; userId: string; roles: Role[]; sessionId?: string }
  | { kind: "anonymous" }
  | { kind: "system"; name: string }
  /** A machine client with an OAuth client-credentials token (rate limits count per `clientId`). */
  | { kind: "client"; clientId: string; scopes: ClientScope[] };

export interface RequestContext {
  actor: Actor;
  requestId: string;
  /** The caller's X-Correlation-Id, to follow one action across services; defaults to the request id. */
  correlationId?: string;
  sourceIp: string | null;
  userAgent: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with the given caller in scope; everything it awaits sees the same context. */
export function withContext<T>(context: Partial<RequestContext> & { actor: Actor }, fn: () => T): T {
  return storage.run(
    {
      requestId: context.requestId ?? randomUUID(),
      sourceIp: context.sourceIp ?? null,
      userAgent: context.userAgent ?? null,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
      actor: context.actor,
    },
    fn,
  );
}

/** The current request context; outside any request it is an anonymous one with a fresh id. */
export function useContext(): RequestContext {
  return (
    storage.getStore() ?? { actor: { kind: "anonymous" }, requestId: randomUUID(), sourceIp: null, userAgent: null }
  );
}

/** The context of the request in progress, if any (for log lines). */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function useActor(): Actor {
  return useContext().actor;
}
