import { AsyncLocalStorage } from "node:async_hooks";
import { AppError } from "../errors.ts";
import { tableKeyOf } from "./entities/erasure-pointer.entity.ts";
import { db } from "./service.ts";
import type { Step } from "./transaction.ts";

/**
 * The idempotent attempt a write runs in, if any. Every transaction the write commits also marks the
 * attempt's record `committed`, on condition that this attempt still holds it: so the record says
 * truthfully whether the change happened, and a late commit of an attempt whose key was taken over by a
 * retry is cancelled instead of happening twice.
 */
export interface IdempotencyAttempt {
  scope: string;
  attempt: string;
}

const storage = new AsyncLocalStorage<IdempotencyAttempt>();

export function withIdempotencyAttempt<T>(attempt: IdempotencyAttempt, run: () => Promise<T>): Promise<T> {
  return storage.run(attempt, run);
}

/** A pointer outlives the record it points to (24 h window, plus a margin for a late commit). */
const POINTER_SECONDS = 25 * 60 * 60;

/**
 * The step that joins the current attempt's record to a transaction (none outside an idempotent write);
 * `subject` names what the change was about (a user id). With a subject, a pointer to the record is also
 * written in the user's partition, so erasing the user deletes the record (its outcome may hold them).
 */
export function idempotencySteps(subject?: string): Step[] {
  const current = storage.getStore();
  if (!current) return [];
  return [
    {
      item: (e) =>
        e.idempotencyRecord
          .patch({ scope: current.scope })
          .set({ status: "committed", ...(subject ? { subject } : {}) })
          .where(({ attempt }, { eq }) => eq(attempt, current.attempt))
          .commit(),
      whenConditionFails: new AppError(
        "IDEMPOTENCY_IN_PROGRESS",
        "A retry with this Idempotency-Key has taken over this request; retry shortly.",
      ),
    },
    ...(subject
      ? [
          {
            item: (e) =>
              e.erasurePointer
                .put({
                  userId: subject,
                  ...tableKeyOf(db().idempotencyRecord.get({ scope: current.scope }).params()),
                  expiresAt: Math.floor(Date.now() / 1000) + POINTER_SECONDS,
                })
                .commit(),
            whenConditionFails: "stale",
          } satisfies Step,
        ]
      : []),
  ];
}
