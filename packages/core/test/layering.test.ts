/**
 * The layering of packages/core/src, as the README's "Layout" section states it, checked on the import
 * graph (every `import … from`, `export … from` and `import()` of every source file):
 * - no cycle between folders (the ground-floor files count as one, other top-level files each as one);
 * - the ground floor imports nothing of the project but itself;
 * - a domain folder is imported from outside only through its `index.ts`; the shared layers (store/,
 *   observability/) and the ground floor are imported file by file;
 * - core imports nothing from the transports, the console, infra or the bench.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** Top-level files that import nothing of the project but each other. */
const GROUND_FLOOR = new Set([
  "errors.ts",
  "config.ts",
  "context.ts",
  "policy.ts",
  "pagination.ts",
  "validation.ts",
  "user-vocabulary.ts",
  "client-vocabulary.ts",
  "aws-deadlines.ts",
]);

/** Folders below the domains whose files any folder above may import directly. */
const SHARED_LAYERS = new Set(["store", "observability"]);

/** An import between two files of src, by their paths relative to src (`user/index.ts`). */
interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const posix = (path: string) => path.split(sep).join("/");

/** Every module specifier of a file (static, re-export and dynamic), comments ignored. */
function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

function importGraph(): { edges: Edge[]; outside: Edge[] } {
  const edges: Edge[] = [];
  const outside: Edge[] = [];
  for (const path of sourceFiles(SRC)) {
    const from = posix(relative(SRC, path));
    for (const specifier of specifiersOf(readFileSync(path, "utf8"))) {
      if (specifier.startsWith("@users/")) outside.push({ from, to: specifier });
      if (!specifier.startsWith(".")) continue;
      const to = posix(relative(SRC, resolve(dirname(path), specifier)));
      (to.startsWith("..") ? outside : edges).push({ from, to });
    }
  }
  return { edges, outside };
}

/** The unit a file belongs to: its top-level folder, the ground floor, or a top-level file of its own. */
function unitOf(file: string): string {
  const [first, ...rest] = file.split("/");
  if (rest.length > 0) return `${first}/`;
  return GROUND_FLOOR.has(first!) ? "ground floor" : first!;
}

/** Groups of units that import each other (strongly connected components of more than one unit). */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [unitOf(from), unitOf(to)];
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (unit: string) => {
    index.set(unit, index.size);
    low.set(unit, index.get(unit)!);
    stack.push(unit);
    onStack.add(unit);
    for (const other of next.get(unit) ?? []) {
      if (!index.has(other)) {
        visit(other);
        low.set(unit, Math.min(low.get(unit)!, low.get(other)!));
      } else if (onStack.has(other)) {
        low.set(unit, Math.min(low.get(unit)!, index.get(other)!));
      }
    }
    if (low.get(unit) === index.get(unit)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== unit);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const unit of next.keys()) if (!index.has(unit)) visit(unit);
  return found;
}

/** The imports that break a rule, as `from -> to (rule)`. */
function layeringProblems(edges: Edge[]): string[] {
  const problems: string[] = [];
  for (const component of cycles(edges)) {
    const members = new Set(component);
    const inside = edges.filter(({ from, to }) => unitOf(from) !== unitOf(to) && members.has(unitOf(from)) && members.has(unitOf(to)));
    problems.push(`cycle between ${component.join(", ")}: ${inside.map(({ from, to }) => `${from} -> ${to}`).join("; ")}`);
  }
  for (const { from, to } of edges) {
    const [source, target] = [unitOf(from), unitOf(to)];
    if (source === target) continue;
    if (source === "ground floor") problems.push(`${from} -> ${to} (the ground floor imports only itself)`);
    const domain = target.endsWith("/") && !SHARED_LAYERS.has(target.slice(0, -1));
    if (domain && to !== `${target}index.ts`) problems.push(`${from} -> ${to} (another domain only through ${target}index.ts)`);
  }
  return problems;
}

describe("layering of packages/core/src", () => {
  const { edges, outside } = importGraph();

  it("reads the import graph (static, re-exports, dynamic)", () => {
    const has = (from: string, to: string) => edges.some((edge) => edge.from === from && edge.to === to);
    expect(edges.length).toBeGreaterThan(200);
    expect(has("user/index.ts", "access/index.ts")).toBe(true);
    expect(has("index.ts", "user/index.ts")).toBe(true); // export * as User from …
  });

  it("has no cycle between folders, keeps the ground floor at the bottom, and enters domains through index.ts", () => {
    expect(layeringProblems(edges)).toEqual([]);
  });

  it("imports nothing from the transports, the console, infra or the bench", () => {
    expect(outside).toEqual([]);
  });

  it("would catch a cycle, a ground floor that reaches up, and a domain entered from the side", () => {
    const problems = layeringProblems([
      { from: "user/user.write.ts", to: "access/index.ts" },
      { from: "access/sign-in.ts", to: "user/user.view.ts" },
      { from: "policy.ts", to: "clients/index.ts" },
      { from: "user/index.ts", to: "store/service.ts" },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^cycle between access\/, user\/: /),
      "access/sign-in.ts -> user/user.view.ts (another domain only through user/index.ts)",
      "policy.ts -> clients/index.ts (the ground floor imports only itself)",
    ]);
  });
});
