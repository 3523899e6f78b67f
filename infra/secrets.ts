/**
 * Secrets, set once per stage before the first deploy:
 *   npx sst secret set TokenSigningKey "$(openssl rand -base64 48)" --stage <stage>
 *   npx sst secret set CursorSecret "$(openssl rand -base64 48)" --stage <stage>
 * Stored encrypted in SSM by SST; a function sees one only if it is linked to it.
 */

/** Signs access tokens (and is published, as its public half, at /.well-known/jwks.json). */
export const tokenSigningKey = new sst.Secret("TokenSigningKey");

/** Signs pagination cursors so a tampered cursor is refused. */
export const cursorSecret = new sst.Secret("CursorSecret");
