/**
 * What differs between stages, as plain data so it can be tested without SST. Per-stage values come
 * from the environment of `sst deploy` / `sst dev`; SST also loads `.env` and `.env.<stage>`.
 *
 *   API_CORS_ORIGINS   comma-separated browser origins allowed to call the API
 *                      (default: local dev servers on non-production stages, none on production)
 *   API_DOMAIN         custom domain for this stage's API, e.g. api.example.com (Route 53 zone)
 *   API_DOMAIN_CERT    ACM certificate ARN (in the API's region, HTTP APIs are regional) when the
 *                      domain's DNS is not in Route 53; SST then creates no DNS records, and the
 *                      domain's CNAME to the API's regional domain name is yours to add
 */

/** Stages that hold real users: deletion-protected and retained on `sst remove`. */
export const productionStages: readonly string[] = ["production", "prod"];

export function isProductionStage(stage: string): boolean {
  return productionStages.includes(stage);
}

/**
 * The API's settings for account mail, from the deploy environment (see README): APP_NAME, APP_URL
 * (the console's URL, which links start with; https://WEB_DOMAIN when only that is set) and
 * REQUIRE_EMAIL_VERIFICATION. Unset ones are left to the service's defaults.
 */
export function accountEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const appUrl = env.APP_URL?.trim() || (env.WEB_DOMAIN?.trim() ? `https://${env.WEB_DOMAIN.trim()}` : undefined);
  const settings: Record<string, string | undefined> = {
    APP_NAME: env.APP_NAME?.trim(),
    APP_URL: appUrl,
    REQUIRE_EMAIL_VERIFICATION: env.REQUIRE_EMAIL_VERIFICATION?.trim(),
  };
  return Object.fromEntries(Object.entries(settings).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

export interface StageSettings {
  production: boolean;
  /** Empty means CORS is off: no browser on another origin may call the API. */
  corsOrigins: string[];
  /** With a cert, `dns: false`: SST would otherwise look for the domain's Route 53 zone. */
  domain: { name: string; cert?: string; dns?: false } | undefined;
}

/** Origins a local frontend dev server is usually served from. */
const localOrigins = ["http://localhost:3000", "http://localhost:5173"];

const origin = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

export function stageSettings(stage: string, env: Record<string, string | undefined>): StageSettings {
  const production = isProductionStage(stage);
  const listed = (env.API_CORS_ORIGINS ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter(Boolean);
  for (const value of listed) {
    if (!origin.test(value)) {
      throw new Error(`API_CORS_ORIGINS: "${value}" is not an origin (scheme://host[:port], no path, no wildcard)`);
    }
  }
  const corsOrigins = listed.length > 0 ? listed : production ? [] : localOrigins;
  const name = env.API_DOMAIN?.trim();
  const cert = env.API_DOMAIN_CERT?.trim();
  return {
    production,
    corsOrigins,
    domain: name ? { name, ...(cert ? { cert, dns: false as const } : {}) } : undefined,
  };
}
