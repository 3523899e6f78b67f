import { Service } from "electrodb";
import { config } from "../config.ts";
import { dynamo } from "../dynamo/client.ts";
import { MailOutboxEntity } from "./mail-outbox.entity.ts";
import { OneTimeTokenEntity } from "./one-time-token.entity.ts";
import { RequestQuotaEntity } from "./request-quota.entity.ts";

const entities = { oneTimeToken: OneTimeTokenEntity, mailOutbox: MailOutboxEntity, requestQuota: RequestQuotaEntity };

let service: Service<typeof entities> | undefined;

/**
 * The account flows' entities, bound to the table on first use (never at import).
 * TODO(merge): once core/src/store/service.ts registers these three entities, this becomes `store()`.
 */
export function accountStore(): Service<typeof entities> {
  service ??= new Service(entities, { table: config().tableName, client: dynamo() });
  return service;
}
