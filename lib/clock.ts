// The one source of "now" on the server, so tests can move time.
let offsetMs = 0;
let fixed: Date | null = null;

export function now(): Date {
  if (fixed) return new Date(fixed);
  return new Date(Date.now() + offsetMs);
}

export function setClock(opts: { fixed?: Date | null; offsetMs?: number }): void {
  if (opts.fixed !== undefined) fixed = opts.fixed;
  if (opts.offsetMs !== undefined) offsetMs = opts.offsetMs;
}
