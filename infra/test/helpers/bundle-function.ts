import { mkdirSync, statSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { sstBuildOptions } from "../../build-options.ts";
import { splitHandler } from "../../handlers.ts";

export interface BuiltFunction {
  /** The bundle, `<name>.mjs`, next to its source map and a node_modules with only `install`. */
  file: string;
  exportName: string;
  bytes: number;
  sourceMapBytes: number;
}

/**
 * Builds a handler the way SST's Node.js runtime does for a deploy (infra/build-options.ts), with the
 * `install` packages left external and installed beside it (here: linked from this repository's
 * node_modules, as SST would `npm install` them).
 */
export async function bundleFunction(handler: string, outDir: string, install: string[]): Promise<BuiltFunction> {
  const { module, exportName } = splitHandler(handler);
  const name = module.split("/").at(-1)!.replaceAll(".", "-");
  const file = join(outDir, `${name}.mjs`);
  mkdirSync(outDir, { recursive: true });
  await build(sstBuildOptions(`${module}.ts`, file, install));
  mkdirSync(join(outDir, "node_modules"), { recursive: true });
  for (const pkg of install) symlinkSync(resolve("node_modules", pkg), join(outDir, "node_modules", pkg), "dir");
  return { file, exportName, bytes: statSync(file).size, sourceMapBytes: statSync(`${file}.map`).size };
}
