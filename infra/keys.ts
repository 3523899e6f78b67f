import { isProductionStage } from "./stage";

const production = isProductionStage($app.stage);

/**
 * The KMS key of envelope encryption for secrets at rest (TOTP secrets; packages/core/src/keys): the API
 * asks it for data keys (GenerateDataKey) and to unwrap them (Decrypt), always with an encryption
 * context naming the user and purpose, so CloudTrail shows whose secret was opened. SST has no KMS
 * component, so this is the Pulumi AWS provider's resource. Rotated yearly by KMS; a production key is
 * kept when the stage or the resource goes (data sealed under it would be lost with it).
 */
export const dataKey = new aws.kms.Key(
  "DataKey",
  {
    description: `users-service (${$app.stage}): wraps the data keys of secrets at rest`,
    keyUsage: "ENCRYPT_DECRYPT",
    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
  },
  production ? { retainOnDelete: true, protect: true } : {},
);
