/**
 * The real SST components behind infra/storage.ts and infra/bus.ts (`sst.aws.Dynamo`, `sst.aws.Bus`,
 * from .sst/platform), built the way the SST CLI builds sst.config.ts and run through SST's own `run`
 * under Pulumi's runtime mocks (`runtime.setMocks`): no engine, no AWS provider plugin, no network.
 * Asserts the AWS resources they would ask Pulumi to create. Pulumi's AWS provider and AWS itself
 * (what the API accepts, what it defaults) are not exercised: only a deploy does that.
 *
 * The rest of the stack is not here: every Lambda function asks the SST CLI's Go process to build it
 * (an RPC to SST_SERVER), which does not exist outside `sst deploy`/`sst dev` (see docs/deploy.md).
 *
 * Needs `npm run sst:install` (CI runs it before the tests); skipped, saying so, without it.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableLayout } from "../../packages/core/src/store/table-layout.ts";
import { buildMockProgram, platformInstalled } from "./helpers/pulumi-mock-stack.ts";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  retainOnDelete?: boolean;
  protect?: boolean;
}
interface MockRun {
  outputs: Record<string, unknown>;
  registered: Registered[];
}

const installed = platformInstalled();
if (!installed) {
  console.warn(
    "SKIPPED infra/test/pulumi-components.test.ts: .sst/platform is missing. Run `npm run sst:install` " +
      "(offline, from npm) to evaluate the real sst.aws.Dynamo and sst.aws.Bus under Pulumi's mocks.",
  );
}

/** The app settings sst.config.ts gives a stage (its `app` function, with `$config` as identity). */
async function appFor(stage: string) {
  (globalThis as any).$config ??= (config: unknown) => config;
  const config = (await import("../../sst.config.ts")).default as unknown as {
    app(input: { stage: string }): { name: string; removal: string; protect: boolean; home: string };
  };
  return { ...config.app({ stage }), stage };
}

const programs: string[] = [];
async function runStage(stage: string): Promise<MockRun> {
  const program = await buildMockProgram("infra/test/helpers/pulumi-mock-entry.ts", await appFor(stage), `components-${stage}-${process.pid}`);
  programs.push(program);
  const { stdout } = await promisify(execFile)(process.execPath, [program], {
    cwd: dirname(program),
    encoding: "utf8",
    // Nothing that could reach AWS: no credentials, no profile.
    env: { PATH: process.env.PATH ?? "", PULUMI_CONFIG_PASSPHRASE: "" },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as MockRun;
}

describe.skipIf(!installed)("real SST components under Pulumi's runtime mocks", () => {
  let dev: MockRun;
  let prod: MockRun;
  beforeAll(async () => {
    [dev, prod] = await Promise.all([runStage("dev"), runStage("prod")]);
  }, 120_000);
  afterAll(() => {
    for (const program of programs) rmSync(program, { force: true });
  });

  const only = (run: MockRun, type: string) => {
    const found = run.registered.filter((r) => r.type === type);
    expect(found, type).toHaveLength(1);
    return found[0]!;
  };

  it("sst.aws.Dynamo creates one on-demand DynamoDB table with every GSI, the stream, TTL and PITR", () => {
    const table = only(dev, "aws:dynamodb/table:Table");
    expect(table.name).toBe("TableTable");
    const { primaryIndex, globalIndexes, ttlAttribute } = tableLayout;
    expect(table.inputs).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: primaryIndex.partitionKey,
      rangeKey: primaryIndex.sortKey,
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      ttl: { attributeName: ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: false,
      localSecondaryIndexes: [],
    });
    expect(table.inputs.globalSecondaryIndexes).toEqual(
      Object.entries(globalIndexes).map(([name, key]) => ({
        name,
        hashKey: key.partitionKey,
        rangeKey: key.sortKey,
        projectionType: key.projection === "all" ? "ALL" : "KEYS_ONLY",
      })),
    );
    // Every key attribute is declared as a string, and nothing else is (DynamoDB refuses unused ones).
    const keys = [primaryIndex, ...Object.values(globalIndexes)].flatMap((k) => [k.partitionKey, k.sortKey]);
    expect(table.inputs.attributes).toEqual(keys.map((name) => ({ name, type: "S" })));
    // The physical name is prefixed with app and stage.
    expect(table.inputs.name).toMatch(/^users-service-dev-TableTable-[a-z]{8}$/);
    expect(dev.outputs.streamArn).toMatch(/^arn:aws:dynamodb:.*\/stream\//);
  });

  it("sst.aws.Bus creates one EventBridge bus", () => {
    const bus = only(dev, "aws:cloudwatch/eventBus:EventBus");
    expect(bus.name).toBe("BusBus");
    expect(bus.inputs.name).toMatch(/^users-service-dev-BusBus-[a-z]{8}$/);
    expect(dev.outputs.bus).toBe(bus.inputs.name);
  });

  it("creates nothing else (no rules, no archive, no extra tables)", () => {
    const types = (run: MockRun) => run.registered.map((r) => r.type).sort();
    expect(types(dev)).toEqual(
      ["aws:cloudwatch/eventBus:EventBus", "aws:dynamodb/table:Table", "pulumi:pulumi:Stack", "sst:aws:Bus", "sst:aws:Dynamo"].sort(),
    );
    expect(types(prod)).toEqual(types(dev));
  });

  it("on production, turns on deletion protection and retains and protects the table; not elsewhere", () => {
    const prodTable = only(prod, "aws:dynamodb/table:Table");
    expect(prodTable.inputs.deletionProtectionEnabled).toBe(true);
    expect(prodTable.inputs.name).toMatch(/^users-service-prod-TableTable-/);
    expect(prodTable.retainOnDelete).toBe(true);
    expect(prodTable.protect).toBe(true);
    expect(prod.outputs._protect).toBe(true);

    const devTable = only(dev, "aws:dynamodb/table:Table");
    expect(devTable.retainOnDelete).toBeFalsy();
    expect(devTable.protect).toBeFalsy();
    expect(dev.outputs._protect).toBe(false);
  });
});
