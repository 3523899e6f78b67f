// EXPERIMENT ONLY (never in the app): BENCH_SERVER_NODE_ARGS="--import ./bench/experiments/no-async-hooks.mjs"
// makes async_hooks.createHook return a hook that never enables, so cls-hooked (pulled in by
// aws-xray-sdk-core through @aws-lambda-powertools/tracer) installs no init/destroy hooks. It measures
// what that hook costs per request; the real fix is in packages/core (see docs/benchmark.md).
import asyncHooks from "node:async_hooks";

const original = asyncHooks.createHook;
asyncHooks.createHook = (callbacks) => {
  const hook = original(callbacks);
  hook.enable = () => hook;
  return hook;
};
