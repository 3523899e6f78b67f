/** The person's rights over their data: a copy of it, and its erasure (crypto-shredding). */
export { dataExport } from "./data-export.ts";
export { erase } from "./erase.ts";
export { encryptAuditTrail, type EncryptAuditProgress } from "./encrypt-audit.ts";
export { DataExport, StoredSession } from "./privacy.schema.ts";
