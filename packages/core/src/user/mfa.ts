/**
 * Turning multi-factor sign-in on and off: a change of the user (`mfaEnabled`, through the versioned
 * write path, with its audit event) whose factor item access writes in the same transaction.
 */
import * as Access from "../access/index.ts";
import { useActor } from "../context.ts";
import { Policy } from "../policy.ts";
import { validated } from "../validation.ts";
import { changeUser, loadLiveUser, nextVersion } from "./user.write.ts";

export {
  MfaCode,
  TotpEnrollment,
  ConfirmTotpInput,
  RecoveryCodes,
  VerifyMfaInput,
  DisableMfaInput,
  totpCode,
  verifyMfaToken,
} from "../access/index.ts";

/**
 * Starts TOTP enrollment for the signed-in user: a new secret (sealed at rest), returned once, not active
 * until confirmed with a code. Starting again replaces an unconfirmed one.
 */
export async function enrollTotp(): Promise<Access.TotpEnrollment> {
  const { userId } = Policy.signedIn(useActor());
  const user = await loadLiveUser(userId, { consistent: true });
  if (user.mfaEnabled) throw Access.mfaAlreadyEnabled();
  return Access.startTotpEnrollment(user);
}

/** Confirms enrollment with a current code: MFA is on from now, and the 10 recovery codes are shown once. */
export const confirmTotp = validated(Access.ConfirmTotpInput, async ({ code }): Promise<Access.RecoveryCodes> => {
  const { userId } = Policy.signedIn(useActor());
  const recoveryCodes = Access.newRecoveryCodes();
  await changeUser(userId, undefined, async (current) => {
    if (current.mfaEnabled) throw Access.mfaAlreadyEnabled();
    return {
      next: nextVersion(current, { mfaEnabled: true }),
      event: { type: "user.mfa_enabled", changes: { mfaEnabled: { from: false, to: true } } },
      alongside: [await Access.activeFactorStep(userId, code, recoveryCodes)],
    };
  });
  return { recoveryCodes };
});

/** Turns MFA off: users for themselves with a current code (or a recovery code), admins for anyone. */
export const disable = validated(Access.DisableMfaInput, async ({ userId, code }): Promise<void> => {
  const actor = useActor();
  Policy.disableMfa(actor, userId);
  const self = actor.kind === "user" && actor.userId === userId;
  const user = await loadLiveUser(userId, { consistent: true });
  if (!user.mfaEnabled) return;
  if (self && !(actor.roles.includes("admin"))) await Access.checkCodeToDisable(user, code);
  await changeUser(userId, undefined, (current) =>
    current.mfaEnabled
      ? {
          next: nextVersion(current, { mfaEnabled: false }),
          event: { type: "user.mfa_disabled", changes: { mfaEnabled: { from: true, to: false } } },
          alongside: [Access.factorRemovalStep(userId)],
        }
      : null,
  );
});
