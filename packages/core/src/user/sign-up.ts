/**
 * What the user domain does when a user is created or changes their email: who is
 * invited, who starts pending, and the message each gets.
 */
import { randomBytes } from "node:crypto";
import { auditEvent, putAuditEvent, sealAuditEvent } from "../audit/index.ts";
import type { Actor } from "../context.ts";
import { writeTransaction } from "../store/transaction.ts";
import { validationFailed } from "../errors.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import type { Status } from "../user-vocabulary.ts";
import { accountConfig, sendTokenMail } from "../mail/index.ts";
import type { CreateUserInput } from "./user.schema.ts";

export interface SignUpPlan {
  /** Created without a password by an admin: pending until the invitation is accepted. */
  invited: boolean;
  status: Status;
  /** Verifying the email makes the (pending) user active. */
  activates: boolean;
}

const mayChooseStatus = (actor: Actor) => actor.kind === "system" || (actor.kind === "user" && actor.roles.includes("admin"));

/** How a new user starts; refuses a user without a password unless an admin invites them. */
export function signUpPlan(actor: Actor, input: Pick<CreateUserInput, "password" | "status">): SignUpPlan {
  if (input.password === undefined) {
    if (!mayChooseStatus(actor)) {
      throw validationFailed([{ path: "password", message: "is required (only admins invite users without a password)" }]);
    }
    if (input.status !== undefined && input.status !== "pending") {
      throw validationFailed([{ path: "status", message: "an invited user is pending until they accept the invitation" }]);
    }
    return { invited: true, status: "pending", activates: false };
  }
  if (!mayChooseStatus(actor) && accountConfig().requireEmailVerification) {
    return { invited: false, status: "pending", activates: true };
  }
  return { invited: false, status: input.status ?? "active", activates: false };
}

/** An invited user has a password no one knows until they choose theirs. */
export const unguessablePassword = () => randomBytes(32).toString("base64url");

/** The message a new user gets: an invitation (recorded as `user.invited`), or an email verification. */
export async function welcome(user: StoredUser, plan: SignUpPlan): Promise<void> {
  if (plan.invited) {
    await sendTokenMail("invitation", user);
    const event = await sealAuditEvent(auditEvent("user.invited", user.userId, {}));
    await writeTransaction((e) => [putAuditEvent(e, event)]);
    return;
  }
  await sendTokenMail("verify-email", user, { activates: plan.activates });
}

/** Every change of address is verified again. */
export async function emailChanged(user: StoredUser): Promise<void> {
  await sendTokenMail("verify-email", user);
}
