import { describe, expect, it } from 'vitest';
import { restartDelay, retryDelay } from './peer-link';

describe('restartDelay', () => {
  it.each([
    ['failed', 0],
    ['disconnected', 2000],
    ['connected', null],
    ['connecting', null],
    ['new', null],
    ['closed', null],
    ['none', null],
  ] as const)('%s → %s', (state, ms) => {
    expect(restartDelay(state)).toBe(ms);
  });
});

describe('retryDelay', () => {
  it('waits 3 s longer after each restart, at most 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(retryDelay)).toEqual([3000, 6000, 9000, 12000, 15000, 15000, 15000]);
  });
});
