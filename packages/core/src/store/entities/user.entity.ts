import { createConversions, type EntityItem } from "electrodb";
import { TableEntity } from "./table-entity.ts";
import { ContactTypes, Statuses } from "../../user-vocabulary.ts";
import { indexShard } from "../index-shards.ts";

/** The stored user. Optional fields are absent rather than null (DynamoDB has no use for nulls). */
export const UserEntity = new TableEntity(
  {
    model: { entity: "user", version: "1", service: "users" },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      email: { type: "string", required: true },
      username: { type: "string" },
      firstName: { type: "string", required: true },
      lastName: { type: "string", required: true },
      phoneNumber: { type: "string" },
      status: { type: Statuses, required: true },
      roles: { type: "list", items: { type: "string" }, required: true },
      contacts: {
        type: "list",
        items: {
          type: "map",
          properties: {
            contactId: { type: "string", required: true },
            type: { type: ContactTypes, required: true },
            value: { type: "string", required: true },
          },
        },
      },
      metadata: { type: "any" },
      avatarUrl: { type: "string" },
      /** Absent on users stored before verification existed: read as false. */
      emailVerified: { type: "boolean" },
      mfaEnabled: { type: "boolean" },
      passwordHash: { type: "string", required: true },
      version: { type: "number", required: true },
      createdAt: { type: "string", required: true, readOnly: true },
      updatedAt: { type: "string", required: true },
      lastLoginAt: { type: "string" },
      deletedAt: { type: "string" },
      /** 1 once the user's search terms and counts are written (absent: written before they existed; see backfill). */
      indexVersion: { type: "number" },
      /** Which shard of the status and all-users indexes the user is listed in (a hash of userId). */
      // Derived from userId on every put, so no writer has to know about it.
      indexShard: { type: "number", watch: ["userId"], set: (_shard, item) => indexShard(item.userId as string) },
    },
    indexes: {
      byId: {
        pk: { field: "pk", composite: ["userId"] },
        sk: { field: "sk", composite: [] },
      },
      byEmail: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["email"] },
        sk: { field: "gsi1sk", composite: ["createdAt"] },
      },
      /** Sharded (see index-shards.ts): `<status>#<shard>`, newest first; keys only, lists read the users. */
      byStatus: {
        index: "gsi2",
        pk: { field: "gsi2pk", composite: ["status", "indexShard"], template: "$users#status#${status}#${indexShard}", casing: "none" },
        sk: { field: "gsi2sk", composite: ["createdAt", "userId"], template: "${createdAt}#${userId}", casing: "none" },
      },
      /** Sparse: deleted users leave it, so listing without a status filter reads no dead items. */
      allUsers: {
        index: "gsi3",
        condition: (attributes) => attributes.status !== "deleted",
        pk: { field: "gsi3pk", composite: ["indexShard"], template: "$users#all#${indexShard}", casing: "none" },
        sk: { field: "gsi3sk", composite: ["createdAt", "userId"], template: "${createdAt}#${userId}", casing: "none" },
      },
    },
  },
);

export type StoredUser = EntityItem<typeof UserEntity>;

/** Key and cursor conversions, for cursors that point at an item we already hold. */
export const userConversions = createConversions(UserEntity);
