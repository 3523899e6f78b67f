/**
 * esbuild plugins for every Node.js function (SST's `nodejs.plugins`, and the bundle checks).
 *
 * The API serves REST through trpc-to-openapi's Node handler alone (packages/api/src/rest-handler.ts),
 * but the package's single entry re-exports every adapter: Express, Fastify, Koa, Next, Nuxt (h3) and
 * fetch, and the Node handler's body parser (co-body: raw-body, iconv-lite, type-is, mime-db) is
 * ~650 KiB of minified code a Lambda would compile on every cold start. The service hands that handler
 * a request whose body it has already read, so the body parser is never called: the bundle takes the
 * Node handler's own module, and co-body resolves to a module that says so if anything ever calls it.
 *
 * trpc-to-openapi imports zod as one namespace object (`import { z } from "zod/v4"`), which keeps every
 * export of zod in the bundle (~95 KiB more than the service's own schemas use: JSON Schema import,
 * z.compile, codecs...). Inside trpc-to-openapi, `zod/v4` is the few members its REST adapter uses
 * (infra/rest-adapter-zod.mjs). The service speaks English (zod's default, `z.config(z.locales.en())`),
 * so zod's locale index is English alone.
 *
 * Every bundle is built with NODE_ENV=production, as the functions run: code that only checks in
 * development drops out (trpc-to-openapi's router check, and with it the OpenAPI generator and
 * zod-openapi), and ElectroDB's model check is skipped at a cold start (store/entities/table-entity.ts), so
 * the JSON-schema validator it runs on is not bundled (infra/unused-model-check.mjs).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** `specifier`, imported from inside `withinPackage` (any importer when omitted), becomes one of this folder's files. */
function replaceImport(build, specifier, file, withinPackage) {
  const filter = new RegExp(`^${specifier.replace(/[/.]/g, "\\$&")}$`);
  const importer = withinPackage && new RegExp(`[\\\\/]${withinPackage}[\\\\/]`);
  const path = fileURLToPath(new URL(file, import.meta.url));
  build.onResolve({ filter }, (args) => (!importer || importer.test(args.importer) ? { path } : undefined));
}

export const restAdapterOnly = {
  name: "rest-adapter-only",
  setup(build) {
    const entry = require.resolve("trpc-to-openapi");
    const nodeHandler = join(dirname(entry), "..", "esm", "adapters", "node-http", "core.mjs");
    build.onResolve({ filter: /^trpc-to-openapi$/ }, () => ({ path: nodeHandler }));
    replaceImport(build, "co-body", "./unused-body-parser.mjs");
    replaceImport(build, "zod/v4", "./rest-adapter-zod.mjs", "trpc-to-openapi");
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

export const modelCheckOff = {
  name: "model-check-off",
  setup(build) {
    replaceImport(build, "jsonschema", "./unused-model-check.mjs", "electrodb");
  },
};

/** `process.env.NODE_ENV` is "production" in the bundle's code (a build-time constant). */
export const productionBuild = {
  name: "production-build",
  setup(build) {
    build.initialOptions.define = { ...build.initialOptions.define, "process.env.NODE_ENV": '"production"' };
  },
};

export default [restAdapterOnly, zodEnglishOnly, modelCheckOff, productionBuild];
