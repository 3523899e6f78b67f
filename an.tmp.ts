import { handlers } from "./infra/handlers.ts";
import { bundleFunction } from "./infra/test/helpers/bundle-function.ts";
const built = await bundleFunction(handlers.api, "/tmp/cold-an", ["swagger-ui-dist"]);
const byPackage = new Map<string, number>();
for (const [path, bytes] of built.inputBytes) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  const key = match ? match[1]! : path.startsWith("packages/") ? path.split("/").slice(0, 3).join("/") : "other";
  byPackage.set(key, (byPackage.get(key) ?? 0) + bytes);
}
console.log(built.bytes, built.totalBytes);
for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log((v / 1024).toFixed(0).padStart(5), k);
