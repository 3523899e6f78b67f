/**
 * schemas/asyncapi.json, the AsyncAPI 3 document of the events on the bus: current with the event
 * schemas (`npm run generate:asyncapi`), valid for @asyncapi/parser, one message per event type, and
 * a real event of each type fits its message's payload.
 */
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { AuditEventTypes } from "@users/core/events/index";
import { asyncApiFile, asyncApiText } from "../../../scripts/generate-asyncapi.ts";

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => void;

describe("the AsyncAPI document of the published events (schemas/asyncapi.json)", () => {
  it("is current: run `npm run generate:asyncapi` after changing an event", () => {
    expect(readFileSync(asyncApiFile, "utf8")).toBe(asyncApiText());
  });

  it("parses and validates with @asyncapi/parser, one message per event type", async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(asyncApiFile, "utf8"));
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join(".")}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe("3.0.0");
    const channel = document!.channels().get("auditEvents")!;
    expect(channel.address()).toBe("users.service");
    expect(channel.messages().all().map((m) => m.id()).sort()).toEqual([...AuditEventTypes].sort());

    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const type of AuditEventTypes) {
      const payload = channel.messages().get(type)!.payload()!.json();
      const event = {
        eventId: "01JD6V1N5Y8T2Q3R4S5T6V7W8X",
        type,
        schemaVersion: 1,
        userId: "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00",
        occurredAt: "2026-11-22T10:15:30.123Z",
        requestId: "req-1",
        sourceIp: "203.0.113.9",
        actor: { kind: "user", userId: "8a1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f01", roles: ["admin"] },
        changes: { firstName: { from: "Ada", to: "Augusta" } },
      };
      const validate = ajv.compile(payload);
      expect(validate(event), `${type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(validate({ ...event, type: type === "user.created" ? "user.deleted" : "user.created" }), type).toBe(false);
    }
  });
});
