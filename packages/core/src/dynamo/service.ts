import { Service } from "electrodb";
import { AuditEventEntity } from "../audit/audit.entity.ts";
import { AuthStateEntity } from "../auth/auth-state.entity.ts";
import { SessionEntity } from "../auth/session.entity.ts";
import { AdminTallyEntity } from "../user/admin-tally.entity.ts";
import { ClaimEntity } from "../user/claim.entity.ts";
import { UserEntity } from "../user/user.entity.ts";
import { DataKeyEntity } from "../privacy/data-key.entity.ts";

/** Every entity that shares the single table; transactions span them. */
export const UsersService = new Service({
  user: UserEntity,
  claim: ClaimEntity,
  adminTally: AdminTallyEntity,
  auditEvent: AuditEventEntity,
  authState: AuthStateEntity,
  session: SessionEntity,
  dataKey: DataKeyEntity,
});

type WriteBuilder = Parameters<typeof UsersService.transaction.write>[0];
/** The entities as a transaction's builder sees them (their operations end in `.commit()`). */
export type TransactionEntities = Parameters<WriteBuilder>[0];
/** One committed item of a write transaction. */
export type TransactionItem = ReturnType<WriteBuilder>[number];
