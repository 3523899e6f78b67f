import { BatchGetItemCommand, GetItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
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
 * The table and key of an entity's item for a user: ElectroDB's key, built once per entity with a
 * placeholder, with the id (lower-cased, as ElectroDB cases keys) put in it.
 */
function keyOf(entity: UserKeyedEntity, userId: string): { TableName: string; Key: Record<string, AttributeValue> } {
  let template = templates.get(entity);
  if (!template) {
    template = entity.get({ userId: PLACEHOLDER }).params();
    templates.set(entity, template);
  }
  const id = userId.toLowerCase();
  const Key = Object.fromEntries(Object.entries(template.Key).map(([name, value]) => [name, { S: value.split(PLACEHOLDER).join(id) }]));
  return { TableName: template.TableName, Key };
}

/** An item as the document client reads it (map keys kept as written), formatted by its entity. */
const parsed = <T>(entity: UserKeyedEntity, item: Record<string, AttributeValue>) =>
  entity.parse({ Item: unescapeKeys(unmarshall(item)) as Record<string, unknown> }).data as T | null;

/**
 * One item by user id, keyed and parsed by the entity (ElectroDB's key, ElectroDB's formatting of the
 * answer) without ElectroDB building the request on every call, which costs as much CPU as a small
 * request's own handling: for the reads every request makes (the auth state, the user), sent by the
 * lean read client (`dynamoReads`).
 */
export async function getByUserId<T>(entity: UserKeyedEntity, userId: string, consistent: boolean): Promise<T | null> {
  const { TableName, Key } = keyOf(entity, userId);
  const { Item } = await dynamoReads().send(new GetItemCommand({ TableName, Key, ConsistentRead: consistent }));
  return Item ? parsed<T>(entity, Item) : null;
}

/** DynamoDB's limit of keys per BatchGetItem. */
const BATCH_KEYS = 100;

/**
 * The items of several users (those that exist, in no particular order), the same way: BatchGetItem of
 * up to 100 keys, in parallel for more; keys DynamoDB leaves unprocessed (throttling) are asked once more.
 */
export async function getManyByUserId<T>(entity: UserKeyedEntity, userIds: readonly string[], consistent: boolean): Promise<T[]> {
  if (userIds.length === 0) return [];
  const { TableName } = keyOf(entity, userIds[0]!);
  const read = async (Keys: Record<string, AttributeValue>[]) => {
    const { Responses, UnprocessedKeys } = await dynamoReads().send(
      new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys, ConsistentRead: consistent } } }),
    );
    return { items: Responses?.[TableName] ?? [], unprocessed: UnprocessedKeys?.[TableName]?.Keys ?? [] };
  };
  const chunks: Record<string, AttributeValue>[][] = [];
  for (let i = 0; i < userIds.length; i += BATCH_KEYS) chunks.push(userIds.slice(i, i + BATCH_KEYS).map((id) => keyOf(entity, id).Key));
  const items = (
    await Promise.all(
      chunks.map(async (keys) => {
        const first = await read(keys);
        const retry = first.unprocessed.length > 0 ? (await read(first.unprocessed)).items : [];
        return [...first.items, ...retry];
      }),
    )
  ).flat();
  return items.flatMap((item) => parsed<T>(entity, item) ?? []);
}
