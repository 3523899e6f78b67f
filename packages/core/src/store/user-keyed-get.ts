import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { dynamoReads } from "./client.ts";
import { unescapeKeys } from "./plain-keys.ts";

/** What this file needs of an ElectroDB entity whose primary key is the user id alone. */
interface UserKeyedEntity {
  get(key: { userId: string }): { params(): { TableName: string; Key: Record<string, string> } };
  parse(response: { Item?: Record<string, unknown> }): { data: unknown };
}

/** Stands for the user id in the key ElectroDB builds once; keys are lower case, and so is this. */
const PLACEHOLDER = "user-id-placeholder";
const templates = new WeakMap<object, { TableName: string; Key: Record<string, string> }>();

/**
 * One item by user id, keyed and parsed by the entity (ElectroDB's key, ElectroDB's formatting of the
 * answer) without ElectroDB building the request on every call, which costs as much CPU as a small
 * request's own handling: for the reads every request makes (the auth state, the user). The key is
 * built once per entity with a placeholder, and the id (lower-cased, as ElectroDB cases keys) put in it.
 * Sent by the lean read client (`dynamoReads`) and read back as the document client would read it.
 */
export async function getByUserId<T>(entity: UserKeyedEntity, userId: string, consistent: boolean): Promise<T | null> {
  let template = templates.get(entity);
  if (!template) {
    template = entity.get({ userId: PLACEHOLDER }).params();
    templates.set(entity, template);
  }
  const id = userId.toLowerCase();
  const Key = Object.fromEntries(Object.entries(template.Key).map(([name, value]) => [name, { S: value.split(PLACEHOLDER).join(id) }]));
  const { Item } = await dynamoReads().send(new GetItemCommand({ TableName: template.TableName, Key, ConsistentRead: consistent }));
  return Item ? (entity.parse({ Item: unescapeKeys(unmarshall(Item)) as Record<string, unknown> }).data as T | null) : null;
}
