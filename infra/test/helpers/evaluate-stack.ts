import { vi } from "vitest";
import { installSstStandIn, type Recording } from "./sst-stand-in.ts";

export interface EvaluatedStack {
  app: { name: string; home: string; removal: string; protect: boolean };
  outputs: Record<string, unknown>;
  recording: Recording;
}

/**
 * Runs sst.config.ts (its `app` and `run`, and so every infra module) against the recording stand-in,
 * for one stage and with the given deploy-time environment variables. Modules are evaluated afresh.
 */
export async function evaluateStack(stage: string, env: Record<string, string | undefined> = {}): Promise<EvaluatedStack> {
  vi.resetModules();
  // Outgoing mail needs a sender on every stage (infra/mail.ts); tests that care pass their own.
  env = { EMAIL_FROM: "no-reply@example.com", ...env };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const standIn = installSstStandIn({ stage });
  try {
    const config = (await import("../../../sst.config.ts")).default as unknown as {
      app(input: { stage: string }): EvaluatedStack["app"];
      run(): Promise<Record<string, unknown>>;
    };
    const app = config.app({ stage });
    Object.assign((globalThis as any).$app, { name: app.name, removal: app.removal, protect: app.protect });
    const outputs = await config.run();
    return { app, outputs, recording: standIn.recording };
  } finally {
    standIn.uninstall();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
