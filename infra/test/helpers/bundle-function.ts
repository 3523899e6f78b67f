import { mkdirSync, statSync, symlinkSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { build, type Metafile } from "esbuild";
import { sstBuildOptions } from "../../build-options.ts";
import { splitHandler } from "../../handlers.ts";

export interface BuiltFunction {
  /** The bundle, `<name>.mjs`, next to its source map and a node_modules with only `install`. */
  file: string;
  exportName: string;
  /** What a cold start loads: the entry and the chunks it imports statically. */
  bytes: number;
  /** Every chunk of the function, those loaded on first use by `import()` too. */
  totalBytes: number;
  sourceMapBytes: number;
  /** Bytes in the output of each source file a cold start loads (from esbuild's metafile). */
  inputBytes: Map<string, number>;
}

/** The entry's output and the chunks it imports statically, transitively. */
function loadedAtStart(metafile: Metafile, entry: string): string[] {
  const loaded = new Set<string>();
  const visit = (output: string) => {
    if (loaded.has(output)) return;
    loaded.add(output);
    for (const imported of metafile.outputs[output]!.imports) if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
  };
  visit(entry);
  return [...loaded];
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
  const { metafile } = await build({ ...sstBuildOptions(`${module}.ts`, file, install), metafile: true });
  mkdirSync(join(outDir, "node_modules"), { recursive: true });
  for (const pkg of install) symlinkSync(resolve("node_modules", pkg), join(outDir, "node_modules", pkg), "dir");
  const entry = relative(process.cwd(), file);
  const outputs = Object.keys(metafile.outputs).filter((path) => path.endsWith(".mjs"));
  const atStart = loadedAtStart(metafile, entry);
  const sizeOf = (paths: string[]) => paths.reduce((sum, path) => sum + statSync(path).size, 0);
  const inputBytes = new Map<string, number>();
  for (const output of atStart) {
    for (const [path, { bytesInOutput }] of Object.entries(metafile.outputs[output]!.inputs)) inputBytes.set(path, (inputBytes.get(path) ?? 0) + bytesInOutput);
  }
  return {
    file,
    exportName,
    bytes: sizeOf(atStart),
    totalBytes: sizeOf(outputs),
    sourceMapBytes: sizeOf(outputs.map((path) => `${path}.map`)),
    inputBytes,
  };
}
