/** Moving users in (`npm run import`) and out (`npm run export`). */
export { runImport, type ImportOptions, type ImportProgress, type ImportResult } from "./import-run.ts";
export { ImportFormats, ImportUser, toImportUser, type ImportFormat } from "./import-record.ts";
export { guessFormat } from "./import-source.ts";
export { exportUsers, type ExportOptions, type ExportedUser } from "./export.ts";
export { NO_PASSWORD } from "./import-user.ts";
export { hashNeedsUpgrade, bcryptScheme } from "../access/index.ts";
export type { ImportTotals, FailedRecord } from "./import-checkpoint.ts";
