import { Service } from "electrodb";
import { AuditEventEntity } from "../audit/audit.entity.ts";
import { AuthStateEntity } from "../auth/auth-state.entity.ts";
import { MachineClientEntity } from "../clients/client.entity.ts";
import { config } from "../config.ts";
import { MfaFactorEntity } from "../mfa/mfa-factor.entity.ts";
import { SessionEntity } from "../auth/session.entity.ts";
import { AdminTallyEntity } from "../user/admin-tally.entity.ts";
import { ClaimEntity } from "../user/claim.entity.ts";
import { UserEntity } from "../user/user.entity.ts";
import { dynamo } from "./client.ts";

// Entities defined without table or client (the target layout) are bound here.
for (const entity of [MfaFactorEntity, MachineClientEntity]) {
  entity.setTableName(config().tableName);
  entity.setClient(dynamo());
}

/** Every entity that shares the single table; transactions span them. */
export const UsersService = new Service({
  user: UserEntity,
  claim: ClaimEntity,
  adminTally: AdminTallyEntity,
  auditEvent: AuditEventEntity,
  authState: AuthStateEntity,
  session: SessionEntity,
  mfaFactor: MfaFactorEntity,
  machineClient: MachineClientEntity,
});

type WriteBuilder = Parameters<typeof UsersService.transaction.write>[0];
/** The entities as a transaction's builder sees them (their operations end in `.commit()`). */
export type TransactionEntities = Parameters<WriteBuilder>[0];
/** One committed item of a write transaction. */
export type TransactionItem = ReturnType<WriteBuilder>[number];
