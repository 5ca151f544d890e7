// Every open stream of a conference asks for a sweep of the absent (see
// sweepAbsent) on each heartbeat; a room of N would be swept N times a beat,
// each a write transaction over the same rows. One sweep a conference a
// period answers for all of its streams. Per process: with more processes,
// each sweeps on its own, which is as correct, only less thrifty.
import { now } from '@/lib/core/clock';

/**
 * Shorter than the heartbeat (HEARTBEAT_MS), so each stream's beat finds a
 * sweep due unless another stream's beat just swept: sweeps stay at most
 * about two beats apart, and the absent go within that of the presence timeout.
 */
export const SWEEP_PERIOD_MS = 15_000;

export class SweepThrottle {
  // Conference → when it was last swept; entries older than the period are forgotten.
  private readonly last = new Map<string, number>();

  constructor(
    private readonly clock: () => number = () => now().getTime(),
    private readonly periodMs = SWEEP_PERIOD_MS,
  ) {}

  /** A stream opened: sweep now, so whoever enters sees the room as it is. */
  async opened(conferenceId: string, sweep: () => Promise<unknown>): Promise<void> {
    this.mark(conferenceId);
    await sweep();
  }

  /** A stream's heartbeat: sweep unless the conference was swept within the period. Resolves to whether it swept. */
  async beat(conferenceId: string, sweep: () => Promise<unknown>): Promise<boolean> {
    const since = this.clock() - (this.last.get(conferenceId) ?? -Infinity);
    // A clock set back (tests move it) counts as due rather than as recent.
    if (since >= 0 && since < this.periodMs) return false;
    this.mark(conferenceId);
    await sweep();
    return true;
  }

  /** Marked before the sweep runs, so beats arriving while it runs do not start another. */
  private mark(conferenceId: string) {
    const t = this.clock();
    for (const [id, at] of this.last) if (t - at >= this.periodMs) this.last.delete(id);
    this.last.set(conferenceId, t);
  }
}
