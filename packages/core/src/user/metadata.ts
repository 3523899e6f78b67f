import * as z from "zod";

/**
 * A user's metadata (contract, "User"): a flat map whose keys are plain data. `__proto__`,
 * `constructor` and `toString` are keys like any other, so values are copied with
 * `Object.defineProperty` onto objects without a prototype, never by assignment, and zod (which drops a
 * `__proto__` key on purpose) never sees that key under its own name.
 */
const PROTO = "__proto__";
/** Where `__proto__` waits while zod checks the rest: longer than any key a client may send. */
const PROTO_IN_TRANSIT = `${PROTO}${"\u0000".repeat(64)}`;

/** DynamoDB keeps 38 significant digits from about 1e-130 to 1e125; the SDK reads back only JS numbers. */
function storableNumber(value: number): boolean {
  if (Number.isSafeInteger(value)) return true;
  if (!Number.isFinite(value) || Number.isInteger(value)) return false; // past 2^53 or not finite
  return Math.abs(value) >= 1e-130;
}

const MetadataValue = z.union([
  z.string().max(1024),
  z.number().refine(storableNumber, "must be a safe integer or a decimal of magnitude 1e-130 to 1e125"),
  z.boolean(),
]);
const MetadataKey = z.string().refine((key) => key === PROTO_IN_TRANSIT || (key.length >= 1 && key.length <= 64), "keys are 1 to 64 characters");

const utf8Bytes = (value: string) => Buffer.byteLength(value, "utf8");

/** A copy without a prototype, own properties only; `rename` maps a key to where it goes. */
function copyEntries(source: object, rename: (key: string) => string): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(source)) {
    Object.defineProperty(copy, rename(key), {
      value: (source as Record<string, unknown>)[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** A plain object (from JSON) as zod may check it: `__proto__` under a name zod keeps. */
function beforeCheck(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  // A client cannot name a key PROTO_IN_TRANSIT itself (too long): it stays too long and is refused.
  return copyEntries(input, (key) => (key === PROTO ? PROTO_IN_TRANSIT : key === PROTO_IN_TRANSIT ? `${key}!` : key));
}

function afterCheck(value: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  return copyEntries(value, (key) => (key === PROTO_IN_TRANSIT ? PROTO : key)) as Record<string, string | number | boolean>;
}

const MetadataRecord = z
  .record(MetadataKey, MetadataValue)
  .refine((value) => Object.keys(value).length <= 50, "at most 50 keys")
  .refine((value) => utf8Bytes(JSON.stringify(afterCheck(value))) <= 8192, "at most 8 KiB when serialized");

export const Metadata = z
  .preprocess(beforeCheck, MetadataRecord.overwrite(afterCheck))
  .meta({
    description:
      "Flat map of string keys (1–64 characters, any text) to string, number or boolean; at most 50 keys, 8 KiB. " +
      "Numbers: safe integers, or decimals of magnitude 1e-130 to 1e125.",
  });
export type Metadata = z.output<typeof Metadata>;

/** Metadata as responses carry it: the same keys-as-data handling, with no limits to check. */
export const MetadataView = z.preprocess(
  beforeCheck,
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).overwrite(afterCheck),
);
