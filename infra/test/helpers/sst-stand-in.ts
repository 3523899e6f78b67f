/**
 * A recording stand-in for the globals SST gives sst.config.ts and infra/ (`$config`, `$app`, `sst`,
 * `aws`, `$interpolate`, `$jsonStringify`, ...). Each fake component records its name and arguments and
 * applies its `transform` the way SST does (a function mutates args/opts, an object is merged), so a
 * test can evaluate the real infra modules and assert the resource graph. Outputs are plain strings
 * such as `arn:fake:Table` so they can be compared and JSON-encoded.
 *
 * It knows only the SST surface this stack uses; the typecheck against .sst/platform (tsconfig.infra.json)
 * is what keeps the argument shapes honest.
 */

export interface Recorded {
  /** `sst.aws.Dynamo`, `aws.sqs.QueuePolicy`, `DynamoLambdaSubscriber`, ... */
  type: string;
  name: string;
  args: any;
  /** For resources with a transform: the underlying resource's args and opts after it ran. */
  transformed: Record<string, { args: any; opts: any }>;
  /** Routes, subscribers and other things attached later. */
  children: Recorded[];
}

type Transform = ((args: any, opts: any, name: string) => void) | Record<string, unknown> | undefined;

/** SST's `transform()`: a function mutates the args and opts in place; an object is merged over them. */
export function applyTransform(transform: Transform, name: string, args: any, opts: any = {}) {
  if (typeof transform === "function") transform(args, opts, name);
  else if (transform) Object.assign(args, transform);
  return { args, opts };
}

/** A fake `Output<T>`: already resolved, so `apply` just calls through. */
function resolved<T>(value: T) {
  return Object.assign(value as object, { apply: <R>(fn: (v: T) => R) => fn(value) });
}

export class Recording {
  readonly resources: Recorded[] = [];

  record(type: string, name: string, args: any): Recorded {
    const entry: Recorded = { type, name, args, transformed: {}, children: [] };
    this.resources.push(entry);
    return entry;
  }

  all(type: string): Recorded[] {
    return this.resources.filter((r) => r.type === type);
  }

  one(type: string, name?: string): Recorded {
    const found = this.all(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) {
      throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    }
    return found[0]!;
  }
}

export interface StandInOptions {
  stage: string;
  appName?: string;
}

/** Installs the fake globals and returns the recording; `uninstall()` removes them again. */
export function installSstStandIn({ stage, appName = "users-service" }: StandInOptions) {
  const recording = new Recording();
  const g = globalThis as any;

  /** A subscriber given as handler string or FunctionArgs is a Function SST creates for it. */
  function subscriberFunction(name: string, subscriber: any) {
    const args = typeof subscriber === "string" ? { handler: subscriber } : subscriber;
    return recordFunction(`${name}Function`, args);
  }

  function recordFunction(name: string, args: any) {
    const entry = recording.record("sst.aws.Function", name, args);
    entry.transformed.function = applyTransform(args.transform?.function, `${name}Function`, {});
    if (args.retries !== undefined) {
      entry.transformed.eventInvokeConfig = applyTransform(
        args.transform?.eventInvokeConfig,
        `${name}EventInvokeConfig`,
        { functionName: `${name}.name`, maximumRetryAttempts: args.retries },
      );
    }
    return entry;
  }

  class Dynamo {
    readonly name: string;
    readonly arn: string;
    constructor(
      private readonly componentName: string,
      readonly args: any,
    ) {
      this.name = `${componentName}.name`;
      this.arn = `arn:fake:dynamodb:${componentName}`;
      const entry = recording.record("sst.aws.Dynamo", componentName, args);
      entry.transformed.table = applyTransform(args.transform?.table, `${componentName}Table`, {
        billingMode: "PAY_PER_REQUEST",
        streamEnabled: Boolean(args.stream),
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: args.deletionProtection,
      });
      this.entry = entry;
    }
    private readonly entry: Recorded;
    subscribe(name: string, subscriber: any, args: any = {}) {
      if (!this.args.stream) throw new Error(`Cannot subscribe to "${this.componentName}" because stream is not enabled.`);
      const fullName = `${this.componentName}Subscriber${name}`;
      const entry = recording.record("DynamoLambdaSubscriber", fullName, args);
      const fn = subscriberFunction(fullName, subscriber);
      entry.children.push(fn);
      entry.transformed.eventSourceMapping = applyTransform(
        args.transform?.eventSourceMapping,
        `${fullName}EventSourceMapping`,
        {
          eventSourceArn: `${this.arn}/stream`,
          functionName: `${fullName}Function.arn`,
          filterCriteria: args.filters
            ? { filters: args.filters.map((filter: unknown) => ({ pattern: JSON.stringify(filter) })) }
            : undefined,
          startingPosition: "LATEST",
        },
      );
      this.entry.children.push(entry);
      return resolved({ nodes: { function: fn, eventSourceMapping: entry.transformed.eventSourceMapping } });
    }
  }

  class Bus {
    readonly name: string;
    readonly arn: string;
    private readonly entry: Recorded;
    constructor(
      private readonly componentName: string,
      args: any = {},
    ) {
      this.name = `${componentName}.name`;
      this.arn = `arn:fake:events:${componentName}`;
      this.entry = recording.record("sst.aws.Bus", componentName, args);
    }
    subscribe(name: string, subscriber: any, args: any = {}) {
      const fullName = `${this.componentName}Subscriber${name}`;
      const entry = recording.record("BusLambdaSubscriber", fullName, args);
      const fn = subscriberFunction(fullName, subscriber);
      entry.children.push(fn);
      // SST's default when no pattern is given is a catch-all: { source: [{ prefix: "" }] }.
      const eventPattern = args.pattern
        ? JSON.stringify({ "detail-type": args.pattern.detailType, source: args.pattern.source, detail: args.pattern.detail })
        : JSON.stringify({ source: [{ prefix: "" }] });
      entry.transformed.rule = applyTransform(args.transform?.rule, `${fullName}Rule`, {
        eventBusName: this.name,
        state: args.enabled === false ? "DISABLED" : "ENABLED",
        eventPattern,
      });
      const ruleArn = `arn:fake:events:${fullName}Rule`;
      entry.transformed.target = applyTransform(args.transform?.target, `${fullName}Target`, {
        arn: `${fullName}Function.arn`,
        rule: `${fullName}Rule.name`,
        eventBusName: this.name,
      });
      this.entry.children.push(entry);
      return resolved({ nodes: { function: fn, rule: { arn: ruleArn }, target: entry.transformed.target } });
    }
  }

  class Bucket {
    readonly name: string;
    readonly arn: string;
    readonly domain: string;
    private readonly entry: Recorded;
    constructor(
      private readonly componentName: string,
      args: any = {},
    ) {
      this.name = `${componentName}.name`;
      this.arn = `arn:fake:s3:${componentName}`;
      this.domain = `${componentName}.s3.fake`;
      this.entry = recording.record("sst.aws.Bucket", componentName, args);
      if (args.transform?.publicAccessBlock !== false) {
        const access = args.access ?? (args.public ? "public" : undefined);
        this.entry.transformed.publicAccessBlock = applyTransform(args.transform?.publicAccessBlock, `${componentName}PublicAccessBlock`, {
          blockPublicAcls: true,
          blockPublicPolicy: access !== "public",
          ignorePublicAcls: true,
          restrictPublicBuckets: access !== "public",
        });
      }
    }
    /** SST allows one `notify` per bucket; each function subscriber becomes a Function. */
    notify(args: any) {
      const name = `${this.componentName}Notifications`;
      if (this.entry.children.some((child) => child.name === name)) {
        throw new Error(`Cannot call "notify" on the "${this.componentName}" bucket multiple times.`);
      }
      const entry = recording.record("BucketNotification", name, args);
      const lambdaFunctions = args.notifications.map((n: any) => {
        if (!n.function) throw new Error(`stand-in: only function notifications are modelled (${n.name})`);
        const fn = subscriberFunction(`${name}Notification${n.name}`, n.function);
        entry.children.push(fn);
        return { lambdaFunctionArn: `${name}Notification${n.name}Function.arn`, events: n.events ?? ["s3:*"], filterPrefix: n.filterPrefix, filterSuffix: n.filterSuffix };
      });
      entry.transformed.notification = applyTransform(args.transform?.notification, `${name}Notification`, { bucket: this.name, lambdaFunctions });
      this.entry.children.push(entry);
      return resolved({ nodes: { functions: entry.children } });
    }
  }

  class Queue {
    readonly arn: string;
    readonly url: string;
    constructor(name: string, args: any = {}) {
      this.arn = `arn:fake:sqs:${name}`;
      this.url = `https://sqs.fake/${name}`;
      const entry = recording.record("sst.aws.Queue", name, args);
      entry.transformed.queue = applyTransform(args.transform?.queue, `${name}Queue`, {});
    }
  }

  class Function {
    readonly arn: string;
    readonly name: string;
    constructor(name: string, args: any) {
      this.arn = `arn:fake:lambda:${name}`;
      this.name = `${name}.name`;
      recordFunction(name, args);
    }
  }

  class ApiGatewayV2 {
    readonly url: string;
    private readonly entry: Recorded;
    constructor(name: string, args: any = {}) {
      this.url = `https://${name}.execute-api.fake`;
      this.entry = recording.record("sst.aws.ApiGatewayV2", name, args);
      this.entry.transformed.api = applyTransform(args.transform?.api, `${name}Api`, { protocolType: "HTTP" });
      this.entry.transformed.stage = applyTransform(args.transform?.stage, `${name}Stage`, {
        autoDeploy: true,
        name: "$default",
        accessLogSettings: { destinationArn: `${name}AccessLog.arn` },
      });
    }
    route(route: string, handler: any, args: any = {}) {
      const [method, path] = route.split(" ");
      if (!method || !path?.startsWith("/")) throw new Error(`Invalid route ${route}`);
      const entry = recording.record("ApiGatewayV2LambdaRoute", route, { route, handler, ...args });
      this.entry.children.push(entry);
      return entry;
    }
  }

  class StaticSite {
    readonly url: string;
    constructor(name: string, args: any) {
      this.url = `https://${name}.cloudfront.fake`;
      recording.record("sst.aws.StaticSite", name, args);
    }
  }

  class Email {
    readonly name: string;
    readonly sender: string;
    readonly configSet: string;
    constructor(name: string, args: any) {
      this.name = `${name}.name`;
      this.sender = `${name}.sender`;
      this.configSet = `${name}.configSet`;
      recording.record("sst.aws.Email", name, args);
    }
  }

  class Secret {
    readonly value: string;
    constructor(name: string, placeholder?: string) {
      this.value = `${name}.value`;
      recording.record("sst.Secret", name, { placeholder });
    }
  }

  /** `aws.<module>.<Resource>`: any raw Pulumi AWS resource, recorded under its full type. */
  const aws = new Proxy(
    {},
    {
      get: (_t, module: string) =>
        new Proxy(
          {},
          {
            get: (_m, resource: string) =>
              class {
                readonly arn: string;
                readonly id: string;
                constructor(name: string, args: any) {
                  this.arn = `arn:fake:${module}:${name}`;
                  this.id = `${name}.id`;
                  recording.record(`aws.${module}.${resource}`, name, args);
                }
              },
          },
        ),
    },
  );

  const globals: Record<string, unknown> = {
    $config: (config: unknown) => config,
    $app: { name: appName, stage, removal: "remove", protect: false, providers: {} },
    $dev: false,
    sst: { aws: { Dynamo, Bus, Bucket, Queue, Function, ApiGatewayV2, StaticSite, Email }, Secret },
    aws,
    $interpolate: (strings: TemplateStringsArray, ...values: unknown[]) =>
      strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ""), ""),
    $jsonStringify: (value: unknown) => JSON.stringify(value),
    $resolve: (value: unknown) => resolved(value),
  };
  const previous = new Map(Object.keys(globals).map((key) => [key, g[key]]));
  Object.assign(g, globals);

  return {
    recording,
    uninstall() {
      for (const [key, value] of previous) {
        if (value === undefined) delete g[key];
        else g[key] = value;
      }
    },
  };
}
