import { Entity, createConversions, type EntityItem } from "electrodb";
import { ContactTypes, Statuses } from "../../user-vocabulary.ts";

/** The stored user. Optional fields are absent rather than null (DynamoDB has no use for nulls). */
export const UserEntity = new Entity(
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
      byStatus: {
        index: "gsi2",
        pk: { field: "gsi2pk", composite: ["status"] },
        sk: { field: "gsi2sk", composite: ["createdAt"] },
      },
      /** Sparse: deleted users leave it, so listing without a status filter reads no dead items. */
      allUsers: {
        index: "gsi3",
        condition: (attributes) => attributes.status !== "deleted",
        pk: { field: "gsi3pk", composite: [] },
        sk: { field: "gsi3sk", composite: ["createdAt"] },
      },
    },
  },
);

export type StoredUser = EntityItem<typeof UserEntity>;

/** Key and cursor conversions, for cursors that point at an item we already hold. */
export const userConversions = createConversions(UserEntity);
