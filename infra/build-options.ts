/**
 * esbuild options as SST's Node.js runtime builds a function for a deploy (github.com/sst/sst
 * pkg/runtime/node/build.go): ESM, platform node, target ESNext, keepNames, mainFields module/main,
 * SST's createRequire/__dirname banner, minified with a linked source map, `install` packages external;
 * with splitting, the entry is `<outfile's name>.mjs` in the outfile's directory beside its chunks.
 * Used by the bundle checks (infra/test) and the cold-start benchmark (bench/); SST itself never reads
 * this file.
 */
import { dirname } from "node:path";
import type { BuildOptions } from "esbuild";
import { nodeBundle } from "./bundling.ts";
import plugins from "./esbuild-plugins.mjs";

/** Packages SST always leaves out of a bundle. */
const forceExternal = ["sharp", "pg-native"];

/** The banner SST puts on every ESM bundle so CommonJS dependencies find require and __dirname. */
export const esmBanner = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

export function sstBuildOptions(entry: string, outfile: string, install: string[]): BuildOptions {
  return {
    entryPoints: [entry],
    platform: "node",
    format: nodeBundle.format,
    target: "esnext",
    bundle: true,
    keepNames: true,
    mainFields: ["module", "main"],
    external: [...forceExternal, ...install],
    minify: nodeBundle.minify,
    sourcemap: nodeBundle.sourcemap ? "linked" : false,
    ...(nodeBundle.splitting ? { splitting: true, outdir: dirname(outfile), outExtension: { ".js": ".mjs" } } : { outfile }),
    logLevel: "silent",
    banner: { js: esmBanner },
    plugins,
  };
}
