/**
 * The part of the Lambda event-filter / EventBridge pattern language this stack uses: objects nest,
 * and a leaf is a list of exact values that matches when the event's value (or, for an array, any of
 * its elements) is one of them. Anything else in a pattern is refused, so a test never passes because
 * the matcher ignored a rule.
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    for (const value of pattern) {
      if (value !== null && typeof value === "object") throw new Error(`unsupported pattern rule ${JSON.stringify(value)}`);
    }
    const candidates = Array.isArray(event) ? event : [event];
    return candidates.some((candidate) => pattern.includes(candidate));
  }
  if (pattern !== null && typeof pattern === "object") {
    if (event === null || typeof event !== "object") return false;
    return Object.entries(pattern).every(([key, sub]) => matchesPattern(sub, (event as Record<string, unknown>)[key]));
  }
  throw new Error(`unsupported pattern ${JSON.stringify(pattern)}`);
}
