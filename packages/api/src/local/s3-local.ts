/// <reference path="./s3rver.d.ts" />
/**
 * The local S3 in `npm start` and the tests: s3rver (an S3-compatible server from npm, objects kept in
 * a directory) behind a small gate that does what s3rver leaves out for browser form uploads: it
 * verifies the POST policy (post-policy.ts) before anything is stored, and answers the browser's CORS.
 * Every other request (the SDK's GET/PUT/DELETE, public GETs of avatars) passes through unchanged.
 * s3rver announces each stored object with an S3-style notification (`onEvent`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { S3Event } from "aws-lambda";
import S3rver from "s3rver";
import { verifyPostPolicy } from "./post-policy.ts";

/** s3rver's one account; the SDK signs with it locally (core/src/user/avatar-storage.ts). */
export const localS3Credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** The largest form the gate reads: a 5 MiB file plus its fields, with room to spare. */
const MAX_FORM_BYTES = 8 * 1024 * 1024;

export interface LocalS3 {
  /** The S3 endpoint (path-style): `http://127.0.0.1:<port>`. */
  endpoint: string;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  port: number;
  hostname?: string;
  /** Where objects are kept; null keeps them in a temporary directory removed on stop. */
  directory: string | null;
  buckets: string[];
  /** Called with each object-created or -removed notification, as S3 would send it. */
  onEvent?: (event: S3Event) => void;
}

function xmlError(res: ServerResponse, status: number, code: string, message: string, origin: string | undefined) {
  const escape = (text: string) => text.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]!);
  res.writeHead(status, { "content-type": "application/xml", ...corsHeaders(origin) });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escape(message)}</Message></Error>`);
}

/** Any origin may upload with a valid form, as with a bucket CORS rule of `*`; the policy is the guard. */
const corsHeaders = (origin: string | undefined): Record<string, string> =>
  origin ? { "access-control-allow-origin": origin, "access-control-expose-headers": "etag, location", vary: "origin" } : {};

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve("too-large");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function forward(req: IncomingMessage, res: ServerResponse, upstream: AddressInfo, body?: Buffer, extraHeaders: Record<string, string> = {}) {
  const headers = { ...req.headers, ...(body ? { "content-length": String(body.length) } : {}) };
  const proxied = httpRequest(
    { host: "127.0.0.1", port: upstream.port, method: req.method, path: req.url, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...extraHeaders });
      answer.pipe(res);
    },
  );
  proxied.on("error", (error) => {
    if (!res.headersSent) xmlError(res, 502, "InternalError", error.message, undefined);
    else res.destroy(error);
  });
  if (body) proxied.end(body);
  else req.pipe(proxied);
}

/** A form upload to a bucket: `POST /<bucket>` (or `/<bucket>/`) with a multipart body. */
function formUploadBucket(req: IncomingMessage, buckets: string[]): string | undefined {
  if (req.method !== "POST" && req.method !== "OPTIONS") return undefined;
  const path = new URL(req.url ?? "/", "http://local").pathname.replace(/\/$/, "").slice(1);
  return buckets.includes(path) ? path : undefined;
}

async function handleFormUpload(req: IncomingMessage, res: ServerResponse, bucket: string, upstream: AddressInfo) {
  const origin = req.headers.origin;
  if (req.method === "OPTIONS") {
    res.writeHead(200, {
      ...corsHeaders(origin),
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "",
      "access-control-max-age": "3000",
    });
    res.end();
    return;
  }
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("multipart/form-data")) return forward(req, res, upstream);
  const body = await readBody(req, MAX_FORM_BYTES);
  if (body === "too-large") return xmlError(res, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", origin);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    return xmlError(res, 400, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.", origin);
  }
  const fields: [string, string][] = [];
  let fileSize: number | undefined;
  form.forEach((value, name) => {
    if (typeof value === "string") fields.push([name, value]);
    else if (name === "file" && fileSize === undefined) fileSize = value.size;
  });
  if (fileSize === undefined) return xmlError(res, 400, "InvalidArgument", "POST requires exactly one file upload per request.", origin);
  const verdict = verifyPostPolicy({ bucket, fields, fileSize, credentials: localS3Credentials });
  if (!verdict.ok) return xmlError(res, verdict.status, verdict.code, verdict.message, origin);
  // The browser reads the status only with CORS headers on the answer.
  forward(req, res, upstream, body, corsHeaders(origin));
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), "local-s3-"));
  const s3rver = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: options.buckets.map((name) => ({
      name,
      // Object GETs from any origin (the console may fetch an avatar); uploads are answered by the gate.
      configs: [
        "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>",
      ],
    })),
  });
  const upstream = await s3rver.run();
  if (options.onEvent) s3rver.on("event", (event: S3Event) => options.onEvent!(event));

  const gate = createServer((req, res) => {
    const bucket = formUploadBucket(req, options.buckets);
    if (!bucket) return forward(req, res, upstream);
    handleFormUpload(req, res, bucket, upstream).catch((error: unknown) => {
      if (!res.headersSent) xmlError(res, 500, "InternalError", String(error), req.headers.origin);
    });
  });
  await new Promise<void>((resolve, reject) => {
    gate.once("error", reject);
    gate.listen(options.port, options.hostname ?? "127.0.0.1", () => resolve());
  });
  const { port } = gate.address() as AddressInfo;
  return {
    endpoint: `http://${options.hostname && options.hostname !== "0.0.0.0" ? options.hostname : "localhost"}:${port}`,
    async stop() {
      await new Promise<void>((resolve) => gate.close(() => resolve()));
      gate.closeAllConnections();
      await s3rver.close();
      if (options.directory === null) rmSync(directory, { recursive: true, force: true });
    },
  };
}
