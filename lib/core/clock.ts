// The one source of "now" on the server, so tests can move time. The state
// lives on globalThis: the server bundles lib/ into more than one module graph
// (route handlers, server rendering), and all of them must read one clock.
// Rows take their default timestamps from it too ($defaultFn in lib/db/schema),
// so a time stored by the database never disagrees with the time compared to it.
type ClockState = { offsetMs: number; fixed: Date | null };
const KEY = Symbol.for('konsil.clock');
const g = globalThis as typeof globalThis & { [KEY]?: ClockState };
const state: ClockState = (g[KEY] ??= { offsetMs: 0, fixed: null });

export function now(): Date {
  if (state.fixed) return new Date(state.fixed);
  return new Date(Date.now() + state.offsetMs);
}

export function setClock(opts: { fixed?: Date | null; offsetMs?: number }): void {
  if (opts.fixed !== undefined) state.fixed = opts.fixed;
  if (opts.offsetMs !== undefined) state.offsetMs = opts.offsetMs;
}
