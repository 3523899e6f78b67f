// What `co-body` resolves to in the Lambda bundles (infra/esbuild-plugins.mjs): trpc-to-openapi's fetch
// adapter reads the body itself, so its Node adapter's body parser is never reached.
export default function parse() {
  throw new Error("co-body is not bundled: the fetch adapter reads request bodies itself");
}
