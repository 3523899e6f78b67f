import { router } from "./trpc.ts";
import { usersRouter } from "./routers/users.ts";

export const appRouter = router({
  users: usersRouter,
});

/** The API's types, for a TypeScript frontend's `createTRPCClient<AppRouter>`. */
export type AppRouter = typeof appRouter;
