/**
 * Hash routes (#/users, #/users/<id>, #/sessions), so the static site needs no server-side rewrites.
 */
import { useSyncExternalStore } from "react";

export type Route =
  | { name: "users" }
  | { name: "user"; userId: string }
  | { name: "sessions" }
  | { name: "security" }
  | { name: "clients" }
  | AccountRoute;

/** Pages for people who are not signed in, opened from links in mail (`#/<page>?token=…`). */
export type AccountRoute =
  | { name: "verify-email"; token: string }
  | { name: "reset-password"; token: string }
  | { name: "accept-invitation"; token: string }
  | { name: "forgot-password" };

const tokenPages = ["verify-email", "reset-password", "accept-invitation"] as const;

export function isAccountRoute(route: Route): route is AccountRoute {
  return route.name === "forgot-password" || (tokenPages as readonly string[]).includes(route.name);
}

function parse(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#/, "").split("?");
  const page = tokenPages.find((name) => path === `/${name}`);
  if (page) return { name: page, token: new URLSearchParams(query).get("token") ?? "" };
  if (path === "/forgot-password") return { name: "forgot-password" };
  const user = /^\/users\/([0-9a-fA-F-]{36})$/.exec(path);
  if (user) return { name: "user", userId: user[1]! };
  if (path === "/sessions") return { name: "sessions" };
  if (path === "/security") return { name: "security" };
  if (path === "/clients") return { name: "clients" };
  return { name: "users" };
}

const subscribe = (onChange: () => void) => {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parse(hash);
}

export const href = {
  users: () => "#/users",
  user: (userId: string) => `#/users/${userId}`,
  sessions: () => "#/sessions",
  forgotPassword: () => "#/forgot-password",
  signIn: () => "#/users",
  security: () => "#/security",
  clients: () => "#/clients",
};
