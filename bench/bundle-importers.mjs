// `node bench/bundle-importers.mjs`: for the heaviest packages in the API bundle, the import chain that pulls each in.
import { build } from "esbuild";
const r = await build({ entryPoints: ["packages/api/src/lambda.ts"], bundle: true, platform: "node", format: "esm", write: false, metafile: true, external: ["swagger-ui-dist","sharp","pg-native"], mainFields: ["module","main"], logLevel: "silent", outfile: "/tmp/x.mjs" });
const inputs = r.metafile.inputs;
const importers = {};
for (const [file, info] of Object.entries(inputs)) for (const imp of info.imports) (importers[imp.path] ??= []).push(file);
for (const target of ["iconv-lite", "mime-db", "yaml", "zod-openapi", "jsonschema"]) {
  let f = Object.keys(inputs).find((k) => k.includes(`node_modules/${target}/`) && (importers[k]||[]).some(i=>!i.includes(`node_modules/${target}/`)));
  const chain = [];
  for (let i = 0; f && i < 8; i++) { chain.push(f.replace(/.*node_modules\//, "")); f = (importers[f] || []).find(x => !x.includes(`node_modules/${target}/`)) ?? (importers[f]||[])[0]; if (f && !f.includes("node_modules")) { chain.push(f); break; } }
  console.log(target, "<-", chain.slice(1).join(" <- "));
}
