/**
 * A program built by buildMockProgram and run in its own Node process: the table and bus modules of
 * the stack, through SST's own `run` (which adds SST's stack transformations, such as retaining
 * tables when the app's removal is "retain"), with Pulumi's runtime mocks in place of the engine and
 * the AWS provider. Prints one JSON line: every resource registered, with its inputs and options.
 */
import * as pulumi from "@pulumi/pulumi";
import { run } from "../../../.sst/platform/src/auto/run.ts";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  retainOnDelete?: boolean;
  protect?: boolean;
}
const registered: Registered[] = [];
const options = new Map<string, { retainOnDelete?: boolean; protect?: boolean }>();

await pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      const physical = typeof args.inputs.name === "string" ? args.inputs.name : `${args.name}-physical`;
      return {
        id: `${physical}-id`,
        state: {
          ...args.inputs,
          name: physical,
          arn: `arn:aws:mock:us-east-1:123456789012:${physical}`,
          ...(args.type === "aws:dynamodb/table:Table"
            ? { streamArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${physical}/stream/2026-01-01T00:00:00.000` }
            : {}),
        },
      };
    },
    call: (args) => ({ ...args.inputs }),
  },
  $app.name,
  $app.stage,
  false,
);

// As the Pulumi engine runs a program: inside the root stack resource (stack transformations need it).
const resolved = await pulumi.runtime.runInPulumiStack(() =>
  run(async () => {
    // Registered after SST's own transformations (run adds them first), so it sees their result.
    pulumi.runtime.registerStackTransformation((args) => {
      options.set(`${args.type}::${args.name}`, { retainOnDelete: args.opts.retainOnDelete, protect: args.opts.protect });
      return undefined;
    });
    const { table } = await import("../../storage.ts");
    const { bus } = await import("../../bus.ts");
    return { table: table.name, tableArn: table.arn, streamArn: table.nodes.table.streamArn, bus: bus.name, busArn: bus.arn };
  }),
);
for (const resource of registered) Object.assign(resource, options.get(`${resource.type}::${resource.name}`));
console.log(JSON.stringify({ outputs: resolved, registered }));
