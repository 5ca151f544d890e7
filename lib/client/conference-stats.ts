// What a tile shows of a participant's incoming media, read from WebRTC
// statistics: the same for a mesh connection and for a LiveKit subscription.

export type InboundSample = { frames: number; audio: number; level: number; lost: number; received: number; rtt: number | null };

type StatsLike = { forEach(cb: (s: RTCStats & Record<string, unknown>) => void): void };

/** Sums the inbound RTP streams of one or more reports (a LiveKit participant has one per track). */
export function readInbound(reports: StatsLike[]): InboundSample {
  const out: InboundSample = { frames: 0, audio: 0, level: 0, lost: 0, received: 0, rtt: null };
  // A report of a LiveKit track includes the whole connection's, so each stream counts once.
  const seen = new Set<string>();
  for (const report of reports) {
    report.forEach((s) => {
      if (seen.has(s.id)) return;
      seen.add(s.id);
      if (s.type === 'inbound-rtp') {
        if (s.kind === 'video') out.frames += Number(s.framesDecoded ?? 0);
        if (s.kind === 'audio') {
          out.audio += Number(s.packetsReceived ?? 0);
          out.level = Math.max(out.level, Number(s.audioLevel ?? 0));
        }
        out.lost += Number(s.packetsLost ?? 0);
        out.received += Number(s.packetsReceived ?? 0);
      }
      if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated || s.selected) && typeof s.currentRoundTripTime === 'number') out.rtt = Math.round(s.currentRoundTripTime * 1000);
    });
  }
  return out;
}

/** The share of packets lost since the last sample. */
export function lossSince(last: { lost: number; received: number }, now: { lost: number; received: number }): number {
  const dLost = now.lost - last.lost;
  const dRecv = now.received - last.received;
  return dLost + dRecv > 0 ? Math.max(0, dLost) / (dLost + dRecv) : 0;
}
