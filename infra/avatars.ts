/**
 * Avatars (packages/core/src/user/avatar*.ts): one bucket with
 *   - `uploads/<userId>/<id>`: private; browsers POST here with a presigned form from the API; S3's
 *     object-created notification starts the processor; a lifecycle rule deletes whatever is left after
 *     a day (the processor deletes each upload it has handled);
 *   - `avatars/<userId>/<id>.webp`: the processed pictures, public (a bucket policy grants GetObject on
 *     this prefix only), each under a new key so a URL's bytes never change.
 * Browsers may POST uploads from the console's origins (the API's CORS origins, infra/stage.ts).
 */
import { readFileSync } from "node:fs";
import { nodeBundle, nodeFunction } from "./bundling";
import { handlers } from "./handlers";
import { dataKey } from "./keys";
import { stageSettings } from "./stage";
import { table } from "./storage";

export const uploadPrefix = "uploads/";
export const publicPrefix = "avatars/";

const settings = stageSettings($app.stage, process.env);

/** sharp loads a native binary for the target platform: installed for the function, not bundled. */
const corePackage = JSON.parse(readFileSync("packages/core/package.json", "utf8")) as { dependencies: Record<string, string> };
const sharpVersion = corePackage.dependencies.sharp;
if (!sharpVersion) throw new Error("packages/core/package.json no longer depends on sharp");

export const avatars = new sst.aws.Bucket("Avatars", {
  cors:
    settings.corsOrigins.length === 0
      ? false
      : { allowOrigins: settings.corsOrigins, allowMethods: ["POST"], allowHeaders: ["*"], exposeHeaders: ["etag", "location"], maxAge: "1 hour" },
  lifecycle: [{ id: "delete-raw-uploads", prefix: uploadPrefix, expiresIn: "1 day" }],
  policy: [{ actions: ["s3:GetObject"], principals: "*", paths: [`${publicPrefix}*`] }],
  transform: {
    // The public statement above is a public policy: S3 blocks those unless allowed here. ACLs stay blocked.
    publicAccessBlock: (args) => {
      args.blockPublicPolicy = false;
      args.restrictPublicBuckets = false;
    },
  },
});

/** Where processed avatars are served from (the bucket's own HTTPS domain). */
export const avatarsPublicUrl = $interpolate`https://${avatars.domain}`;

/** What both the API and the processor need to find the bucket and build public URLs. */
export const avatarEnvironment = { AVATAR_PUBLIC_URL: avatarsPublicUrl };

export const avatarProcessing = avatars.notify({
  notifications: [
    {
      name: "Processor",
      events: ["s3:ObjectCreated:*"],
      filterPrefix: uploadPrefix,
      function: {
        ...nodeFunction,
        handler: handlers.avatarProcessor,
        nodejs: { ...nodeBundle, install: { sharp: sharpVersion } },
        // bench/avatar.ts (`npm run bench:avatar`): peak RSS stays near 115 MiB for every input up to a
        // 12 MP JPEG (JPEG shrinks on load; the pixel limit refuses larger canvases before decoding),
        // so 512 MB would hold it; 1024 MB is for CPU, which Lambda grants in proportion to memory
        // (~0.6 vCPU): a 12 MP JPEG takes ~0.4 s on a full core, about a second here.
        memory: "1024 MB",
        // Reading and writing up to 5 MiB in S3, one image and one DynamoDB transaction: a few seconds at
        // worst; 30 s leaves room for the SDK's retries. S3 invokes asynchronously, and retries twice.
        timeout: "30 seconds",
        link: [table, avatars],
        // Setting avatarUrl is a user change: its audit event seals personal values with the user's
        // data key, unwrapped (or, for users from before encryption, generated) with the KMS key.
        environment: { ...nodeFunction.environment, ...avatarEnvironment, KMS_KEY_ID: dataKey.arn },
        permissions: [{ actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [dataKey.arn] }],
      },
    },
  ],
});
