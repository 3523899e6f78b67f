import { mkdirSync, statSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { nodeBundle } from "../../bundling.ts";
import { splitHandler } from "../../handlers.ts";

/** Packages SST always leaves out of a bundle (github.com/sst/sst pkg/runtime/node/build.go). */
const forceExternal = ["sharp", "pg-native"];

export interface BuiltFunction {
  /** The bundle, `<name>.mjs`, next to its source map and a node_modules with only `install`. */
  file: string;
  exportName: string;
  bytes: number;
  sourceMapBytes: number;
}

/**
 * Builds a handler the way SST's Node.js runtime does for a deploy: esbuild, ESM, platform node,
 * target ESNext, keepNames, mainFields module/main, SST's createRequire/__dirname banner, minified
 * with a linked source map, and the `install` packages left external and installed beside it (here:
 * linked from this repository's node_modules, as SST would `npm install` them).
 */
export async function bundleFunction(handler: string, outDir: string, install: string[]): Promise<BuiltFunction> {
  const { module, exportName } = splitHandler(handler);
  const name = module.split("/").at(-1)!.replaceAll(".", "-");
  const file = join(outDir, `${name}.mjs`);
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [`${module}.ts`],
    platform: "node",
    format: nodeBundle.format,
    target: "esnext",
    bundle: true,
    keepNames: true,
    mainFields: ["module", "main"],
    external: [...forceExternal, ...install],
    minify: nodeBundle.minify,
    sourcemap: nodeBundle.sourcemap ? "linked" : false,
    outfile: file,
    logLevel: "silent",
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __filename = topLevelFileUrlToPath(import.meta.url)`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
      ].join("\n"),
    },
  });
  mkdirSync(join(outDir, "node_modules"), { recursive: true });
  for (const pkg of install) symlinkSync(resolve("node_modules", pkg), join(outDir, "node_modules", pkg), "dir");
  return { file, exportName, bytes: statSync(file).size, sourceMapBytes: statSync(`${file}.map`).size };
}
