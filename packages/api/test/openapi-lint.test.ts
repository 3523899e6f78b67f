/**
 * The served OpenAPI document passes the linters third parties run on it: Spectral's `spectral:oas`
 * ruleset and Redocly's `recommended` ruleset, in-process, with no errors. Warnings are printed (and
 * allowed); an error fails with the rule, the place and the message.
 */
import { Document, Spectral } from "@stoplight/spectral-core";
import * as Parsers from "@stoplight/spectral-parsers";
import { oas } from "@stoplight/spectral-rulesets";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { useApiServer } from "./helpers/api-server.ts";

const api = useApiServer({ as: "anonymous" });

async function servedDocumentText(): Promise<string> {
  const res = await fetch(api.url("/openapi.json"));
  expect(res.status).toBe(200);
  return res.text();
}

type Finding = { rule: string; where: string; message: string };
const show = (findings: Finding[]) => findings.map((f) => `${f.rule} at ${f.where}: ${f.message}`).join("\n");

describe("the served OpenAPI document under lint", () => {
  it("has no Spectral (spectral:oas) errors", async () => {
    const spectral = new Spectral();
    spectral.setRuleset(oas as never);
    const results = await spectral.run(new Document(await servedDocumentText(), Parsers.Json, "openapi.json"));
    const findings = (severity: number) =>
      results
        .filter((r) => r.severity === severity)
        .map((r) => ({ rule: String(r.code), where: r.path.join("."), message: r.message }));
    const warnings = findings(1);
    if (warnings.length) console.info(`Spectral warnings (${warnings.length}):\n${show(warnings)}`);
    expect(show(findings(0))).toBe("");
  });

  it("has no Redocly (recommended) errors", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: await servedDocumentText(), absoluteRef: "openapi.json", config });
    const findings = (severity: string) =>
      problems
        .filter((p) => p.severity === severity)
        .map((p) => ({ rule: p.ruleId, where: p.location.map((l) => l.pointer ?? "").join(", "), message: p.message }));
    const warnings = findings("warn");
    if (warnings.length) console.info(`Redocly warnings (${warnings.length}):\n${show(warnings)}`);
    expect(show(findings("error"))).toBe("");
  });
});
