import * as z from "zod";

/** What a machine client may be granted; see Policy for what each allows. */
export const ClientScopes = ["users:read", "users:write"] as const;
export const ClientScope = z.enum(ClientScopes).meta({
  id: "ClientScope",
  description: "`users:read`: get, list, search, stats and audit; `users:write`: also create, update, replace, delete and status changes.",
});
export type ClientScope = z.infer<typeof ClientScope>;

/** Scopes deduplicated, in their canonical order. */
export const normalizeScopes = (scopes: readonly string[]): ClientScope[] => ClientScopes.filter((scope) => scopes.includes(scope));
