/**
 * What S3 checks on a browser form upload (POST Object with a SigV4 POST policy) and the local S3
 * server (s3rver) does not: the policy's signature, its expiration, that every condition holds
 * (`{ field: value }`, `eq`, `starts-with`, `content-length-range`) and that the form has no field the
 * policy does not name. Part of the local runtime only: in AWS, S3 does this itself.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface PolicyVerdict {
  ok: boolean;
  status: number;
  code: string;
  message: string;
}

const accepted: PolicyVerdict = { ok: true, status: 204, code: "", message: "" };
const denied = (message: string): PolicyVerdict => ({ ok: false, status: 403, code: "AccessDenied", message });
const invalid = (message: string): PolicyVerdict => ({ ok: false, status: 400, code: "InvalidPolicyDocument", message });

/** Fields S3 leaves out of the "every field must be in the policy" rule. */
const exempt = new Set(["policy", "x-amz-signature", "file", "x-amz-security-token"]);

function signingKey(secret: string, date: string, region: string): Buffer {
  const step = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  return step(step(step(step(`AWS4${secret}`, date), region), "s3"), "aws4_request");
}

/**
 * Verifies a POST upload. `fields` are the form's text fields in order (names as sent), `fileSize` the
 * `file` part's size, `bucket` the bucket in the URL.
 */
export function verifyPostPolicy(request: {
  bucket: string;
  fields: [string, string][];
  fileSize: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
  now?: Date;
}): PolicyVerdict {
  // Field names are case-insensitive (the SDK sends `Policy`, `X-Amz-Signature`, `Content-Type`).
  const form = new Map(request.fields.map(([name, value]) => [name.toLowerCase(), value]));
  const policy = form.get("policy");
  const signature = form.get("x-amz-signature");
  const credential = form.get("x-amz-credential");
  if (!policy || !signature || !credential || form.get("x-amz-algorithm") !== "AWS4-HMAC-SHA256") {
    return denied("The form has no SigV4 POST policy (Policy, X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature).");
  }
  const [accessKeyId, date, region, service, terminal] = credential.split("/");
  if (accessKeyId !== request.credentials.accessKeyId) return denied("The AWS Access Key Id you provided does not exist in our records.");
  if (!date || !region || service !== "s3" || terminal !== "aws4_request") return denied("Malformed X-Amz-Credential.");
  const expected = createHmac("sha256", signingKey(request.credentials.secretAccessKey, date, region)).update(policy).digest();
  const given = Buffer.from(signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided." };
  }

  let document: { expiration?: string; conditions?: unknown[] };
  try {
    document = JSON.parse(Buffer.from(policy, "base64").toString("utf8"));
  } catch {
    return invalid("Invalid Policy: Invalid JSON.");
  }
  const expiration = Date.parse(document.expiration ?? "");
  if (Number.isNaN(expiration)) return invalid("Invalid Policy: Invalid 'expiration' value.");
  if (expiration <= (request.now ?? new Date()).getTime()) return denied("Invalid according to Policy: Policy expired.");
  if (!Array.isArray(document.conditions)) return invalid("Invalid Policy: Missing 'conditions'.");

  const valueOf = (name: string) => (name === "bucket" ? request.bucket : form.get(name));
  const covered = new Set<string>();
  for (const condition of document.conditions) {
    const failed = denied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
    if (Array.isArray(condition)) {
      const [operator, subject, value] = condition as [string, unknown, unknown];
      if (operator === "content-length-range") {
        const [min, max] = [Number(subject), Number(value)];
        if (request.fileSize > max) {
          return { ok: false, status: 400, code: "EntityTooLarge", message: "Your proposed upload exceeds the maximum allowed size" };
        }
        if (request.fileSize < min) {
          return { ok: false, status: 400, code: "EntityTooSmall", message: "Your proposed upload is smaller than the minimum allowed size" };
        }
        continue;
      }
      if (typeof subject !== "string" || !subject.startsWith("$") || typeof value !== "string") return invalid(`Invalid Policy: Invalid condition ${JSON.stringify(condition)}`);
      const name = subject.slice(1).toLowerCase();
      covered.add(name);
      const actual = valueOf(name) ?? "";
      if (operator === "eq" && actual !== value) return failed;
      else if (operator === "starts-with" && !actual.startsWith(value)) return failed;
      else if (operator !== "eq" && operator !== "starts-with") return invalid(`Invalid Policy: Unknown condition ${operator}`);
    } else if (condition && typeof condition === "object") {
      for (const [field, value] of Object.entries(condition)) {
        const name = field.toLowerCase();
        covered.add(name);
        if (valueOf(name) !== value) return failed;
      }
    } else {
      return invalid(`Invalid Policy: Invalid condition ${JSON.stringify(condition)}`);
    }
  }
  const extra = [...form.keys()].filter((name) => !exempt.has(name) && !name.startsWith("x-ignore-") && !covered.has(name));
  if (extra.length > 0) return denied(`Invalid according to Policy: Extra input fields: ${extra.join(", ")}`);
  return accepted;
}
