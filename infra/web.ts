/**
 * The admin console (packages/web) as a static site: S3 behind CloudFront, built by SST with the
 * package's own build (typecheck against the API's AppRouter, then Vite). The console calls the API at
 * VITE_API_URL, baked in at build time.
 *
 * The console runs on its own origin, so the API must allow it: set API_CORS_ORIGINS (infra/stage.ts)
 * to the console's origin — WEB_DOMAIN's https://<name> when set, else the CloudFront URL printed as
 * `web` after the first deploy (then deploy again).
 *
 *   WEB_DOMAIN       custom domain for the console, e.g. admin.example.com (Route 53 zone)
 *   WEB_DOMAIN_CERT  ACM certificate ARN (us-east-1) when the domain's DNS is not in Route 53
 */
import { api } from "./api";

const domainName = process.env.WEB_DOMAIN?.trim();
const domainCert = process.env.WEB_DOMAIN_CERT?.trim();

export const web = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "npm run build", output: "dist" },
  environment: { VITE_API_URL: api.url },
  // SST writes the VITE_ variables' types here (its default, src/, is outside this package's layout).
  vite: { types: "app/sst-env.d.ts" },
  ...(domainName ? { domain: domainCert ? { name: domainName, cert: domainCert } : domainName } : {}),
});
