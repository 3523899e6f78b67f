// What `co-body` resolves to in the Lambda bundles (infra/esbuild-plugins.mjs): the REST handler
// (packages/api/src/rest-handler.ts) reads the body itself, so trpc-to-openapi's body parser is never reached.
export default function parse() {
  throw new Error("co-body is not bundled: packages/api/src/rest-handler.ts reads request bodies itself");
}
