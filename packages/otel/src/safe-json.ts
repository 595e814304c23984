/**
 * JSON.stringify that never throws: cycles and repeated objects become
 * `[Circular]` after their first appearance (so a shared graph prints in its
 * size, not its paths), BigInts become strings, Errors keep name, message and
 * stack.
 */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (v instanceof Error) return { ...v, name: v.name, message: v.message, stack: v.stack };
        if (v !== null && typeof v === 'object') {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? String(value)
    );
  } catch {
    // a throwing toJSON or getter
    return String(value);
  }
}
