/**
 * How every Node.js function is built and run, in one place; the bundle check in
 * infra/test/lambda-bundle.test.ts builds with exactly these options.
 *
 * The AWS SDK is bundled, not taken from the Lambda runtime: SST's default, and what AWS recommends,
 * so the SDK that runs is the one the tests ran against (the runtime's copy lags and changes under you).
 */
export const nodeRuntime = "nodejs22.x" as const;
export const architecture = "arm64" as const;

/**
 * SST builds with esbuild, target ESNext (syntax passes through untranspiled): the bundle check loads
 * the result in this repository's Node (20 or newer), which the nodejs22.x runtime exceeds.
 */
export const nodeBundle = {
  format: "esm" as const,
  minify: true,
  sourcemap: true,
  // Code reached only through `import()` (the OpenAPI document, Swagger UI, the S3 and KMS clients,
  // the X-Ray tracer) goes into chunks of its own, loaded when first used: not at a cold start.
  splitting: true,
  // Every function takes only the modules it runs (infra/esbuild-plugins.mjs: trpc-to-openapi's fetch
  // adapter without its body parser, zod's English locale alone). SST runs the file's plugins.
  plugins: "infra/esbuild-plugins.mjs",
};

/**
 * Stack traces point at the TypeScript source (the bundle ships with its source map). NODE_ENV=production
 * also stops trpc-to-openapi from re-validating the whole router (building the OpenAPI document) on every
 * REST request, about a millisecond of CPU each (docs/benchmark.md).
 */
export const nodeEnvironment = { NODE_OPTIONS: "--enable-source-maps", NODE_ENV: "production" };

/** What every function of the stack shares: runtime, architecture, build and environment. */
export const nodeFunction = {
  runtime: nodeRuntime,
  architecture,
  nodejs: nodeBundle,
  environment: nodeEnvironment,
};
