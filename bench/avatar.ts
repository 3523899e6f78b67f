/**
 * `npm run bench:avatar`: what processing one avatar costs (the processor Lambda's work, without S3):
 * signature check, decode within the pixel limit, EXIF rotation, 256×256 cover crop, WebP encode.
 * Each image runs in a fresh Node process so its peak RSS (the Lambda memory that matters) is its own.
 * Test images are made here with sharp: photo-like noise, the worst case for a codec.
 *
 *   tsx bench/avatar.ts [--runs 3]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";

const { values: flags, positionals } = parseArgs({
  options: { runs: { type: "string", default: "3" }, one: { type: "boolean", default: false } },
  allowPositionals: true,
});

/** Child mode: process one file, print `{ ms, peakRssMiB, baseRssMiB, outBytes }`. */
async function processOne(file: string) {
  const { detectImageType, toAvatarWebp } = await import("../packages/core/src/user/avatar-image.ts");
  const bytes = readFileSync(file);
  const baseRss = process.resourceUsage().maxRSS;
  const started = performance.now();
  // Over the pixel limit even the header check refuses it, before any pixel is decoded.
  const type = await detectImageType(bytes);
  const out = type ? await toAvatarWebp(bytes).catch((error: Error) => error) : new Error("refused");
  const ms = performance.now() - started;
  const outBytes = out instanceof Error ? null : out.length;
  console.log(JSON.stringify({ ms, peakRssMiB: process.resourceUsage().maxRSS / 1024, baseRssMiB: baseRss / 1024, outBytes }));
}

const specs = [
  { name: "PNG 640×400", width: 640, height: 400, format: "png" as const },
  { name: "JPEG 1600×1200 (2 MP)", width: 1600, height: 1200, format: "jpeg" as const },
  { name: "WebP 2000×2000 (4 MP)", width: 2000, height: 2000, format: "webp" as const },
  { name: "PNG 2000×1500 (3 MP)", width: 2000, height: 1500, format: "png" as const },
  { name: "JPEG 4000×3000 (12 MP)", width: 4000, height: 3000, format: "jpeg" as const },
  { name: "PNG 8000×6000 (48 MP, over the limit)", width: 8000, height: 6000, format: "png" as const, flat: true },
];

async function makeImage(spec: (typeof specs)[number]): Promise<Buffer> {
  const noise = "flat" in spec ? {} : { noise: { type: "gaussian" as const, mean: 128, sigma: 30 } };
  const image = sharp({ create: { width: spec.width, height: spec.height, channels: 3, background: "#777", ...noise } });
  if (spec.format === "png") return image.png({ compressionLevel: 6 }).toBuffer();
  if (spec.format === "webp") return image.webp({ quality: 85 }).toBuffer();
  return image.jpeg({ quality: 75 }).withExif({ IFD0: { Make: "BenchCam", Model: "12MP" } }).toBuffer();
}

async function main() {
  if (flags.one) return processOne(positionals[0]!);
  const runs = Number(flags.runs);
  const dir = mkdtempSync(join(tmpdir(), "avatar-bench-"));
  const rows: string[][] = [];
  try {
    for (const spec of specs) {
      const bytes = await makeImage(spec);
      const file = join(dir, `${spec.width}x${spec.height}.${spec.format}`);
      writeFileSync(file, bytes);
      const results = Array.from({ length: runs }, () =>
        JSON.parse(
          execFileSync(process.execPath, ["--import", "tsx", "bench/avatar.ts", "--one", file], { encoding: "utf8" }).trim().split("\n").at(-1)!,
        ) as { ms: number; peakRssMiB: number; baseRssMiB: number; outBytes: number | null },
      );
      const ms = results.map((r) => r.ms).sort((a, b) => a - b);
      rows.push([
        spec.name,
        `${(bytes.length / 1024 / 1024).toFixed(2)} MiB`,
        `${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms`,
        `${ms.at(-1)!.toFixed(0)} ms`,
        `${Math.max(...results.map((r) => r.peakRssMiB)).toFixed(0)} MiB`,
        `${Math.max(...results.map((r) => r.baseRssMiB)).toFixed(0)} MiB`,
        results[0]!.outBytes === null ? "refused" : `${(results[0]!.outBytes / 1024).toFixed(1)} KiB`,
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = ["image", "input", "median", "max", "peak RSS", "RSS before", "WebP out"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`Avatar processing, ${runs} run(s) per image, one process per run (Node ${process.version}, sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips})\n`);
  console.log([line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n"));
  console.log("\nRSS before: the process with tsx and sharp loaded, before the image; peak RSS includes it.");
}

await main();
