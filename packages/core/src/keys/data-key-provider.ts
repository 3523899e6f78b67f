/**
 * Envelope encryption: a data key per secret (or per owner) encrypts the data; only the data key's
 * wrapped form is stored next to it. `context` names what the key is for (`{ userId, purpose }`); a
 * wrapped key unwraps only with the same context.
 */
export interface DataKeyProvider {
  generateDataKey(context: Record<string, string>): Promise<{ plaintext: Buffer; wrapped: string }>;
  unwrapDataKey(wrapped: string, context: Record<string, string>): Promise<Buffer>;
}
