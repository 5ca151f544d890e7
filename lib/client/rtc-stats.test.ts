// readInbound and lossSince: the inbound half of lib/client/rtc-stats.ts, shared by the mesh and LiveKit paths.
import { describe, expect, it } from 'vitest';
import { lossSince, readInbound } from './rtc-stats';

const report = (...stats: Record<string, unknown>[]) => new Map(stats.map((s) => [s.id as string, s])) as unknown as RTCStatsReport;

describe('readInbound', () => {
  it('sums video frames and audio packets, takes the loudest level and the nominated pair’s round trip', () => {
    const r = readInbound([
      report(
        { id: 'v', type: 'inbound-rtp', kind: 'video', framesDecoded: 40, packetsReceived: 100, packetsLost: 2 },
        { id: 'a', type: 'inbound-rtp', kind: 'audio', packetsReceived: 50, packetsLost: 0, audioLevel: 0.3 },
        { id: 'p1', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.0424 },
        { id: 'p2', type: 'candidate-pair', state: 'failed', nominated: false, currentRoundTripTime: 0.9 },
      ),
    ]);
    expect(r).toEqual({ frames: 40, audio: 50, level: 0.3, lost: 2, received: 150, rtt: 42 });
  });

  it('counts a stream that appears in two tracks’ reports once', () => {
    const shared = { id: 'a', type: 'inbound-rtp', kind: 'audio', packetsReceived: 10, audioLevel: 0.1 };
    const r = readInbound([report(shared, { id: 'v', type: 'inbound-rtp', kind: 'video', framesDecoded: 5, packetsReceived: 7 }), report(shared)]);
    expect(r.audio).toBe(10);
    expect(r.received).toBe(17);
    expect(r.frames).toBe(5);
  });

  it('is all zero without reports', () => {
    expect(readInbound([])).toEqual({ frames: 0, audio: 0, level: 0, lost: 0, received: 0, rtt: null });
  });
});

describe('lossSince', () => {
  it('is the share lost among the packets since the last sample', () => {
    expect(lossSince({ lost: 10, received: 100 }, { lost: 15, received: 195 })).toBeCloseTo(0.05);
    expect(lossSince({ lost: 0, received: 0 }, { lost: 0, received: 0 })).toBe(0);
    // A counter that went backwards (a new connection) counts as no loss.
    expect(lossSince({ lost: 10, received: 100 }, { lost: 2, received: 150 })).toBe(0);
  });
});
