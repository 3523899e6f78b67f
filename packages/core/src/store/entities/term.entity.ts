import { TableEntity } from "./table-entity.ts";

/**
 * A search term: one item per (user, distinct word), keyed by the word's first character and the user's
 * shard, sorted by word then newest first (see search/search-terms.ts for the keys). Written in the same
 * transaction as every user change that changes the user's words or status.
 */
export const termSchema = {
  model: { entity: "term", version: "1", service: "users" },
  attributes: {
    partition: { type: "string", required: true },
    sort: { type: "string", required: true },
    word: { type: "string", required: true },
    userId: { type: "string", required: true },
    createdAt: { type: "string", required: true },
    status: { type: "string", required: true },
    words: { type: "list", items: { type: "string" }, required: true },
  },
  indexes: {
    byWord: {
      pk: { field: "pk", composite: ["partition"], template: "${partition}", casing: "none" },
      sk: { field: "sk", composite: ["sort"], template: "${sort}", casing: "none" },
    },
  },
} as const;

export const TermEntity = new TableEntity(termSchema);
