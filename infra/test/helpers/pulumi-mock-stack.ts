import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { build } from "esbuild";
import { esmBanner } from "../../build-options.ts";

/** SST's platform code (components as TypeScript source, @pulumi/* beside it), from `npm run sst:install`. */
export const platformDir = resolve(".sst/platform");
export const platformInstalled = () =>
  existsSync(join(platformDir, "src/components/index.ts")) &&
  existsSync(join(platformDir, "node_modules/@pulumi/pulumi/index.js")) &&
  existsSync(join(platformDir, "node_modules/@pulumi/aws/index.js"));

/** Left to Node at run time, resolved from .sst/platform/node_modules, when the platform imports them. */
const platformExternal = [/^@pulumi\//, /^@pulumiverse\//, /^@aws-sdk\//, /^esbuild$/, /^archiver$/, /^glob$/, /^undici$/, /^vite$/, /^dotenv$/];

/**
 * Builds `entry` (TypeScript that creates SST components) the way the SST CLI builds sst.config.ts
 * for a deploy: `$app`/`$cli`/`$dev` defined, SST's shim injected (`$util`, `$jsonStringify`, ...),
 * and `sst` and `aws` made globals of every file outside .sst. The program lands inside .sst/platform
 * so the platform's @pulumi/* packages are the ones Node loads.
 */
export async function buildMockProgram(
  entry: string,
  app: { name: string; stage: string; removal: string; protect: boolean; home: string },
  outName: string,
): Promise<string> {
  const outDir = join(platformDir, ".mock-programs");
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${outName}.mjs`);
  const cli = { command: "deploy", dev: false, paths: { home: "/tmp/sst-home", root: resolve("."), work: resolve(".sst"), platform: platformDir } };
  const globals = [
    `import * as sst from ${JSON.stringify(join(platformDir, "src/components/index.ts"))};`,
    `import * as aws from "@pulumi/aws";`,
  ].join("\n");
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "esnext",
    logLevel: "error",
    define: { $app: JSON.stringify({ ...app, providers: { aws: {} } }), $cli: JSON.stringify(cli), $dev: "false" },
    inject: [join(platformDir, "src/shim/run.js")],
    banner: { js: esmBanner },
    plugins: [
      {
        name: "platform-externals-and-globals",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            const fromPlatform = args.importer.startsWith(platformDir) || args.importer === "" || !args.importer.startsWith(resolve("."));
            if (platformExternal.some((pattern) => pattern.test(args.path)) && (fromPlatform || args.path.startsWith("@pulumi/"))) {
              return { path: args.path, external: true };
            }
            return undefined;
          });
          b.onLoad({ filter: /\.(ts|js)$/ }, (args) => {
            if (args.path.startsWith(platformDir) || args.path.includes("node_modules")) return undefined;
            return { contents: `${globals}\n${readFileSync(args.path, "utf8")}`, loader: args.path.endsWith(".js") ? "js" : "ts", resolveDir: dirname(args.path) };
          });
        },
      },
    ],
  });
  return outfile;
}
