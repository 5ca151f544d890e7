import { describe, expect, it } from 'vitest';
import { joinWindow } from './window';

const start = new Date('2026-11-27T09:00:00Z');
const at = (iso: string) => new Date(iso);

describe('joinWindow', () => {
  it.each([
    ['2026-11-27T08:44:59Z', 'early'],
    ['2026-11-27T08:45:00Z', 'open'],
    ['2026-11-27T09:00:00Z', 'open'],
    ['2026-11-27T10:20:00Z', 'open'], // 20 min planned + 60 min grace
    ['2026-11-27T10:20:01Z', 'past'],
  ])('at %s the room is %s', (when, status) => {
    expect(joinWindow({ startsAt: start, durationMin: 20, state: 'scheduled' }, at(when)).status).toBe(status);
  });
  it('a cancelled appointment is cancelled at any time and still tells its times', () => {
    const w = joinWindow({ startsAt: start, durationMin: 20, state: 'cancelled' }, at('2026-11-27T09:00:00Z'));
    expect(w.status).toBe('cancelled');
    expect(w.opensAt.toISOString()).toBe('2026-11-27T08:45:00.000Z');
  });
});
