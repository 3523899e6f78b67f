// What `zod/v4` resolves to inside trpc-to-openapi in the Lambda bundles (infra/esbuild-plugins.mjs).
// The package imports zod as one namespace object, `import { z } from "zod/v4"`, which keeps every export
// of zod in the bundle (JSON Schema conversion, z.compile, codecs...). Its REST adapter uses three
// members of it and one class; anything else it reads is a clear error, not a silent `undefined`.
import { ZodArray, coerce, object, string } from "zod";

const used = { coerce, object, string };

export const z = new Proxy(used, {
  get(target, name) {
    if (typeof name === "string" && !(name in target)) {
      throw new Error(`zod.${name} is not bundled for trpc-to-openapi: add it to infra/rest-adapter-zod.mjs`);
    }
    return target[name];
  },
});
export { ZodArray };
