import { describe, expect, it } from 'vitest';
import { HEARTBEAT_MS } from '@/lib/video/calls';
import { SWEEP_PERIOD_MS as P, SweepThrottle } from './sweep-throttle';

type Step = [atMs: number, what: 'opened' | 'beat', conferenceId: string];

/** Plays streams opening and beating on a throttle whose clock the steps set; says for each whether it swept. */
async function play(steps: Step[]): Promise<boolean[]> {
  let t = 0;
  const throttle = new SweepThrottle(() => t);
  const swept: boolean[] = [];
  for (const [at, what, conferenceId] of steps) {
    t = at;
    let ran = false;
    await throttle[what](conferenceId, async () => {
      ran = true;
    });
    swept.push(ran);
  }
  return swept;
}

describe('SweepThrottle', () => {
  it('is shorter than the heartbeat', () => {
    expect(P).toBeLessThan(HEARTBEAT_MS);
  });

  it.each<[string, Step[], boolean[]]>([
    ['a lone stream sweeps on every beat', [[HEARTBEAT_MS, 'beat', 'c'], [2 * HEARTBEAT_MS, 'beat', 'c'], [3 * HEARTBEAT_MS, 'beat', 'c']], [true, true, true]],
    ['two streams of one conference within the period sweep once; after it, again', [[0, 'beat', 'c'], [P - 1, 'beat', 'c'], [P, 'beat', 'c']], [true, false, true]],
    ['each conference has its own period', [[0, 'beat', 'a'], [0, 'beat', 'b'], [1000, 'beat', 'a']], [true, true, false]],
    ['a stream that opens always sweeps, and that sweep counts for the beats', [[0, 'beat', 'c'], [1000, 'opened', 'c'], [P + 500, 'beat', 'c']], [true, true, false]],
    ['a clock set back counts as due, not as recent', [[60_000, 'beat', 'c'], [0, 'beat', 'c']], [true, true]],
  ])('%s', async (_name, steps, swept) => {
    expect(await play(steps)).toEqual(swept);
  });

  it('a beat that arrives while a sweep runs does not start another', async () => {
    const throttle = new SweepThrottle(() => 0);
    let sweeps = 0;
    let finish = () => {};
    const slow = () => {
      sweeps++;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    };
    const first = throttle.beat('c', slow);
    expect(await throttle.beat('c', slow)).toBe(false);
    finish();
    expect(await first).toBe(true);
    expect(sweeps).toBe(1);
  });
});
