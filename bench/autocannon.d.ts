// autocannon ships no types, and @types/autocannon (7.x) lags its API (instance events on the returned
// promise, per-request setupRequest): the bench uses it untyped.
declare module "autocannon";
