import { appRouter } from "./router.ts";

type ProcedureDef = { _def: { type: "query" | "mutation" | "subscription"; meta?: { openapi?: { method: string; path: string } } } };
const procedures = () => appRouter._def.procedures as unknown as Record<string, ProcedureDef>;

/** The service's own routes (app.ts, local/server.ts): all read-only. */
const fixedRoutes: RegExp[] = [
  /^\/health$/,
  /^\/ready$/,
  /^\/openapi\.json$/,
  /^\/\.well-known\/jwks\.json$/,
  /^\/docs$/,
  /^\/docs\/[^/]*$/,
  /^\/admin(\/.*)?$/,
];

/** REST routes that are not procedures (app.ts): the OAuth token endpoint. */
const plainRoutes = [{ pattern: /^\/v1\/oauth\/token$/, method: "POST" }];

let restRoutes: { pattern: RegExp; method: string }[] | undefined;

/** Every REST operation's path template as a pattern, from the procedures' OpenAPI meta. */
function rest() {
  restRoutes ??= Object.values(procedures()).flatMap((p) => {
    const openapi = p._def.meta?.openapi;
    if (!openapi) return [];
    const source = openapi.path
      .split("/")
      .map((part) => (/^\{.+\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    return [{ pattern: new RegExp(`^${source}/?$`), method: openapi.method.toUpperCase() }];
  }).concat(plainRoutes);
  return restRoutes;
}

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const withHead = (methods: Iterable<string>) => {
  const set = new Set(methods);
  if (set.has("GET")) set.add("HEAD");
  set.add("OPTIONS");
  return [...set];
};

/**
 * The methods a path answers, or null for a path the service does not have (404). For tRPC
 * (`/trpc/a.b,c.d`) the methods of the procedures named; an unknown procedure is tRPC's own 404.
 */
export function allowedMethods(path: string): string[] | null {
  if (fixedRoutes.some((route) => route.test(path))) return withHead(["GET"]);
  if (path.startsWith("/trpc/")) {
    const types = path
      .slice("/trpc/".length)
      .split(",")
      .map((name) => procedures()[safeDecode(name)]?._def.type);
    if (types.some((type) => type === undefined)) return withHead(["GET", "POST"]);
    return withHead(types.map((type) => (type === "query" ? "GET" : "POST")));
  }
  const methods = rest()
    .filter((route) => route.pattern.test(path))
    .map((route) => route.method);
  return methods.length > 0 ? withHead(methods) : null;
}
