import { useEffect, useState } from "react";
import { session, signOut, type StoredSession } from "./api.ts";
import { AccountPage } from "./AccountPages.tsx";
import { href, isAccountRoute, useRoute } from "./router.ts";
import { SessionsPage } from "./SessionsPage.tsx";
import { ClientsPage } from "./ClientsPage.tsx";
import { SecurityPage } from "./SecurityPage.tsx";
import { SignIn } from "./SignIn.tsx";
import { UserPage } from "./UserPage.tsx";
import { UsersList } from "./UsersList.tsx";

export function App() {
  const [current, setCurrent] = useState<StoredSession | null>(session.get());
  const [endedBecause, setEndedBecause] = useState<string | undefined>();
  const route = useRoute();
  useEffect(
    () =>
      session.subscribe((next, reason) => {
        setCurrent(next);
        setEndedBecause(next ? undefined : reason);
      }),
    [],
  );

  if (isAccountRoute(route)) return <AccountPage route={route} />;
  if (!current) return <SignIn notice={endedBecause} />;
  return <SignedIn me={current} />;
}

function SignedIn({ me }: { me: StoredSession }) {
  const route = useRoute();
  const [signingOut, setSigningOut] = useState(false);
  const self = { userId: me.user.userId, roles: me.user.roles };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Users console</span>
        <nav aria-label="Main">
          <a href={href.users()} aria-current={route.name === "users" || route.name === "user" ? "page" : undefined}>
            Users
          </a>
          <a href={href.sessions()} aria-current={route.name === "sessions" ? "page" : undefined}>
            My sessions
          </a>
          <a href={href.security()} aria-current={route.name === "security" ? "page" : undefined}>
            Two-factor sign-in
          </a>
          {me.user.roles.includes("admin") && (
            <a href={href.clients()} aria-current={route.name === "clients" ? "page" : undefined}>
              Machine clients
            </a>
          )}
        </nav>
        <span className="whoami" data-testid="whoami">
          {me.user.email} ({me.user.roles.filter((r) => r !== "customer").join(", ")})
        </span>
        <button
          type="button"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut();
          }}
        >
          {signingOut ? "Signing out…" : "Sign out"}
        </button>
      </header>
      <main id="main">
        {route.name === "users" && <UsersList />}
        {route.name === "user" && <UserPage key={route.userId} userId={route.userId} me={self} />}
        {route.name === "sessions" && <SessionsPage />}
        {route.name === "security" && <SecurityPage />}
        {route.name === "clients" && <ClientsPage />}
      </main>
    </>
  );
}
