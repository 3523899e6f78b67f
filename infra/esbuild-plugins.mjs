/**
 * esbuild plugins for every Node.js function (SST's `nodejs.plugins`, and the bundle checks).
 *
 * The API serves REST through trpc-to-openapi's fetch adapter only, but the package's single entry
 * re-exports every adapter: Express, Fastify, Koa, Next, Nuxt (h3) and its Node one, whose body parser
 * (co-body: raw-body, iconv-lite, type-is, mime-db) is ~650 KiB of minified code a Lambda would compile
 * on every cold start. The fetch adapter hands that Node adapter a request whose body it has already
 * read, so the body parser is never called: the bundle takes the fetch adapter's own module, and
 * co-body resolves to a module that says so if anything ever calls it.
 *
 * trpc-to-openapi imports zod as one namespace object (`import { z } from "zod/v4"`), which keeps every
 * export of zod in the bundle, among them its 40-odd message locales (~260 KiB). The service speaks
 * English (zod's default, `z.config(z.locales.en())`), so zod's locale index is English alone.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

export const restAdapterOnly = {
  name: "rest-adapter-only",
  setup(build) {
    const entry = require.resolve("trpc-to-openapi");
    const fetchAdapter = join(dirname(entry), "..", "esm", "adapters", "fetch.mjs");
    build.onResolve({ filter: /^trpc-to-openapi$/ }, () => ({ path: fetchAdapter }));
    build.onResolve({ filter: /^co-body$/ }, () => ({
      path: fileURLToPath(new URL("./unused-body-parser.mjs", import.meta.url)),
    }));
  },
};

export const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](core|classic)$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, "..", "locales", "index.js"), namespace: "zod-english-only" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-english-only" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), "en.js"))};`,
      resolveDir: dirname(args.path),
    }));
  },
};

export default [restAdapterOnly, zodEnglishOnly];
