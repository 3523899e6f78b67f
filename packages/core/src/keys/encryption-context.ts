/** An encryption context as one stable string (keys sorted), for associated data. */
export function canonicalContext(context: Record<string, string>): string {
  return JSON.stringify(Object.keys(context).sort().map((key) => [key, context[key]]));
}
