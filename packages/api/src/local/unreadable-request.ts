import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";

/**
 * Node's HTTP server refuses a request it cannot read (headers over its 16 KiB `maxHeaderSize`, broken
 * framing) before the app sees it, with a bare status line. This answers such requests with the
 * contract's error body and an X-Request-Id instead: 431 for headers too large, else 400.
 */
export function answerUnreadableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node (22) itself does: answer a request that broke the HTTP parser unless a response on this
  // connection has already started (never write into the middle of one); otherwise just close it.
  const current = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (!error.code?.startsWith("HPE_") || !socket.writable || current?.headersSent) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const requestId = randomUUID();
  const body = JSON.stringify(
    tooLarge
      ? { code: "PAYLOAD_TOO_LARGE", message: "The request's headers are larger than 16 KiB.", requestId }
      : { code: "VALIDATION_FAILED", message: "The request is not valid HTTP.", requestId },
  );
  socket.end(
    [
      tooLarge ? "HTTP/1.1 431 Request Header Fields Too Large" : "HTTP/1.1 400 Bad Request",
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      "X-Content-Type-Options: nosniff",
      "Cache-Control: no-store",
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
  );
}
