/**
 * Secrets, set once per stage before the first deploy (docs/deploy.md has the whole procedure):
 *
 *   npx sst secret set TokenSigningKey "$(npm run --silent signing-key)" --stage <stage>
 *   npx sst secret set CursorSecret "$(openssl rand -base64 48)" --stage <stage>
 *
 * TokenSigningKey is not random bytes: it is a JSON array of Ed25519 private JWKs, which is what
 * `npm run signing-key` prints (packages/core/src/token-signing/signing-keys.ts parses it; with anything
 * else every sign-in and /.well-known/jwks.json fail). To rotate, pass the current value: the new
 * key is printed first (it signs from then on), followed by the old ones (still published in the
 * JWKS, so tokens they signed stay valid); drop an old key once its tokens have expired (15 min).
 *
 *   npx sst secret set TokenSigningKey "$(npm run --silent signing-key -- '<current JSON>')" --stage <stage>
 *
 * SST encrypts secret values and stores them in its state bucket in the account; a function sees a
 * secret only if it is linked to it. A changed value reaches deployed functions with the next
 * `npx sst deploy` (`sst dev` picks it up by itself).
 */

/** Signs access tokens (and is published, as its public half, at /.well-known/jwks.json). */
export const tokenSigningKey = new sst.Secret("TokenSigningKey");

/** Signs pagination cursors so a tampered cursor is refused. */
export const cursorSecret = new sst.Secret("CursorSecret");
