import { Service } from "electrodb";
import { config } from "../config.ts";
import { dynamo } from "./client.ts";
import { AdminTallyEntity } from "./entities/admin-tally.entity.ts";
import { AuditEventEntity } from "./entities/audit-event.entity.ts";
import { AuthStateEntity } from "./entities/auth-state.entity.ts";
import { DataKeyEntity } from "./entities/data-key.entity.ts";
import { ClaimEntity } from "./entities/claim.entity.ts";
import { ErasurePointerEntity } from "./entities/erasure-pointer.entity.ts";
import { IdempotencyRecordEntity } from "./entities/idempotency-record.entity.ts";
import { LoginAttemptsEntity } from "./entities/login-attempts.entity.ts";
import { MailOutboxEntity } from "./entities/mail-outbox.entity.ts";
import { OneTimeTokenEntity } from "./entities/one-time-token.entity.ts";
import { RequestQuotaEntity } from "./entities/request-quota.entity.ts";
import { MachineClientEntity } from "./entities/machine-client.entity.ts";
import { MfaFactorEntity } from "./entities/mfa-factor.entity.ts";
import { SessionEntity } from "./entities/session.entity.ts";
import { UserEntity } from "./entities/user.entity.ts";
import { TermEntity } from "./entities/term.entity.ts";
import { TallyEntity } from "./entities/tally.entity.ts";

const entities = {
  user: UserEntity,
  claim: ClaimEntity,
  adminTally: AdminTallyEntity,
  auditEvent: AuditEventEntity,
  authState: AuthStateEntity,
  session: SessionEntity,
  loginAttempts: LoginAttemptsEntity,
  idempotencyRecord: IdempotencyRecordEntity,
  oneTimeToken: OneTimeTokenEntity,
  mailOutbox: MailOutboxEntity,
  requestQuota: RequestQuotaEntity,
  mfaFactor: MfaFactorEntity,
  machineClient: MachineClientEntity,
  dataKey: DataKeyEntity,
  erasurePointer: ErasurePointerEntity,
  term: TermEntity,
  userTally: TallyEntity,
};

function bind() {
  return new Service(entities, { table: config().tableName, client: dynamo() });
}

let bound: ReturnType<typeof bind> | undefined;

/**
 * Every entity that shares the single table, bound to the configured table and the DynamoDB client on
 * first use (never at import). Transactions span them. Domains reach their items through it:
 * `store().entities.user`.
 */
export function store(): ReturnType<typeof bind> {
  bound ??= bind();
  return bound;
}

/** The bound entities: `db().user.get(...)`. */
export const db = () => store().entities;

type WriteBuilder = Parameters<ReturnType<typeof bind>["transaction"]["write"]>[0];
/** The entities as a transaction's builder sees them (their operations end in `.commit()`). */
export type TransactionEntities = Parameters<WriteBuilder>[0];
/** One committed item of a write transaction. */
export type TransactionItem = ReturnType<WriteBuilder>[number];
