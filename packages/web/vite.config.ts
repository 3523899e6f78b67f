import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * Relative asset URLs (`base: "./"`), so the same build works under `/admin/` on the local server and
 * at the root of the static site. `VITE_API_URL` (the API's base URL) is set by infra/web.ts at deploy;
 * unset, the console calls the origin it was loaded from. `npm run dev -w @users/web` proxies the API
 * calls to `npm start` on :3000.
 */
export default defineConfig({
  base: "./",
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/trpc": "http://localhost:3000" } },
});
