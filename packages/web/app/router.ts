/**
 * Hash routes (#/users, #/users/<id>, #/sessions), so the static site needs no server-side rewrites.
 */
import { useSyncExternalStore } from "react";

export type Route = { name: "users" } | { name: "user"; userId: string } | { name: "sessions" } | { name: "security" } | { name: "clients" };

function parse(hash: string): Route {
  const path = hash.replace(/^#/, "");
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
  security: () => "#/security",
  clients: () => "#/clients",
};
