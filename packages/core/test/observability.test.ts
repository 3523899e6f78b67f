import { describe, expect, it, vi } from "vitest";
import { withContext } from "../src/context.ts";
import { log, logger, redact } from "../src/observability/logger.ts";

describe("logs", () => {
  it("redact passwords, hashes, tokens, secrets and private key parts, at any depth", () => {
    const redacted = redact({
      email: "a@example.com",
      password: "p",
      nested: { passwordHash: "h", refreshToken: "r", list: [{ authorization: "Bearer x", ok: 1 }] },
      jwk: { kty: "OKP", d: "private", x: "public" },
      cursorSecret: "s",
    });
    expect(redacted).toEqual({
      email: "a@example.com",
      password: "[REDACTED]",
      nested: { passwordHash: "[REDACTED]", refreshToken: "[REDACTED]", list: [{ authorization: "[REDACTED]", ok: 1 }] },
      jwk: { kty: "OKP", d: "[REDACTED]", x: "public" },
      cursorSecret: "[REDACTED]",
    });
  });

  it("carry the request id and correlation id of the request in progress", () => {
    const info = vi.spyOn(logger, "info").mockImplementation(() => undefined);
    withContext({ actor: { kind: "anonymous" }, requestId: "req-1", correlationId: "corr-1" }, () => log.info("hello", { password: "x" }));
    expect(info).toHaveBeenCalledWith("hello", { requestId: "req-1", correlationId: "corr-1", password: "[REDACTED]" });
    info.mockRestore();
  });
});
