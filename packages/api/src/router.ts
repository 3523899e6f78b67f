import { mergeRouters, router } from "./trpc.ts";
import { avatarsRouter } from "./routers/avatars.ts";
import { authRouter } from "./routers/auth.ts";
import { usersRouter } from "./routers/users.ts";
import { clientsRouter } from "./routers/clients.ts";

export const appRouter = router({
  users: mergeRouters(usersRouter, avatarsRouter),
  auth: authRouter,
  clients: clientsRouter,
});

/** The API's types, for a TypeScript frontend's `createTRPCClient<AppRouter>`. */
export type AppRouter = typeof appRouter;
