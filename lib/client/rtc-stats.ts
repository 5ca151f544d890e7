// What one RTCPeerConnection's statistics say, sampled about once a second:
// frames and audio arriving, the round trip and loss (the quality shown to
// the user), the path taken (direct, relayed over udp/tcp/tls), and what the
// video encoder sends and why it sends less — WebRTC's congestion control
// lowers bitrate, then resolution, when the link is narrow, and this is where
// the page learns of it. One home for the consultation, colleague calls and
// conferences.

export type Quality = 'unknown' | 'poor' | 'fair' | 'good';

/** A video as it is sent or decoded right now. */
export type VideoFlow = { width: number; height: number; fps: number; kbps: number };

/** Why the encoder sends less than it could: the link ('bandwidth'), the processor ('cpu'), or not at all. */
export type SendLimit = 'bandwidth' | 'cpu' | 'none';

export type SendFlow = VideoFlow & { limit: SendLimit };

export type LinkSample = {
  framesDecoded: number;
  /** Audio packets received from the other side (they can be heard). */
  audioPackets: number;
  /** Loudest incoming audio level, 0..1. */
  audioLevel: number;
  roundTripMs: number | null;
  candidateType: string | null;
  /** How this side reaches its TURN server when it sends through one: udp, tcp or tls. */
  relayProtocol: string | null;
  quality: Quality;
  /** The own camera or screen as the encoder sends it; null while nothing is sent. */
  sending: SendFlow | null;
  /** The other side's video as it is decoded here; null while none arrives. */
  receiving: VideoFlow | null;
};

export function rateQuality(rttMs: number | null, lossRatio: number): Quality {
  if (rttMs === null) return 'unknown';
  if (rttMs < 150 && lossRatio < 0.02) return 'good';
  if (rttMs < 400 && lossRatio < 0.08) return 'fair';
  return 'poor';
}

/** About five seconds of samples limited by the link before the quality says so. */
const NARROW_SAMPLES = 5;

/** A ramp-up longer than about 40 s is a narrow link, not a start (it took 20 s on loopback). */
const RAMP_SAMPLES = 40;

type Stat = RTCStats & Record<string, unknown>;
type StatsLike = { forEach(cb: (s: Stat) => void): void };

export type InboundSample = { frames: number; audio: number; level: number; lost: number; received: number; rtt: number | null };

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

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function limitOf(reason: unknown): SendLimit {
  return reason === 'bandwidth' || reason === 'cpu' ? reason : 'none';
}

/** Keeps the previous sample of one connection, for what changed since (loss, bitrate). */
export class LinkStats {
  private last = { lost: 0, received: 0, sentBytes: 0, receivedBytes: 0, at: 0 };
  /** Samples in a row in which the link limited the own video (a call's first seconds ramp up through it). */
  private narrow = 0;
  private samples = 0;
  private rampedUp = false;

  async sample(pc: RTCPeerConnection): Promise<LinkSample> {
    const report = await pc.getStats();
    const byId = new Map<string, Stat>();
    report.forEach((s: Stat) => byId.set(s.id, s));
    const inbound = readInbound([report]);
    let pairLocal: string | null = null;
    let sending: SendFlow | null = null;
    let receiving: VideoFlow | null = null;
    let sentBytes = 0;
    let receivedBytes = 0;
    for (const s of byId.values()) {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        receivedBytes += num(s.bytesReceived);
        if (num(s.frameWidth) > 0) receiving = { width: num(s.frameWidth), height: num(s.frameHeight), fps: Math.round(num(s.framesPerSecond)), kbps: 0 };
      } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
        sentBytes += num(s.bytesSent);
        if (num(s.frameWidth) > 0) sending = { width: num(s.frameWidth), height: num(s.frameHeight), fps: Math.round(num(s.framesPerSecond)), kbps: 0, limit: limitOf(s.qualityLimitationReason) };
      } else if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated || s.selected)) {
        pairLocal = String(s.localCandidateId ?? '');
      }
    }
    const at = performance.now();
    const seconds = this.last.at > 0 ? (at - this.last.at) / 1000 : 0;
    const rate = (now: number, before: number) => (seconds > 0 && now >= before ? Math.round(((now - before) * 8) / 1000 / seconds) : 0);
    if (sending) sending.kbps = rate(sentBytes, this.last.sentBytes);
    if (receiving) receiving.kbps = rate(receivedBytes, this.last.receivedBytes);
    const ratio = lossSince(this.last, inbound);
    this.last = { lost: inbound.lost, received: inbound.received, sentBytes, receivedBytes, at };
    let quality: Quality = pc.connectionState === 'connected' ? rateQuality(inbound.rtt, ratio) : 'unknown';
    // A link too narrow for the own picture for a while is not a good one, however short the round trip.
    // A new connection's encoder starts small and probes upwards (limited by 'bandwidth' all the
    // while): that ramp is not held against the link, until it has ended or takes unusually long.
    this.samples++;
    if (sending?.limit === 'none') this.rampedUp = true;
    const ramping = !this.rampedUp && this.samples < RAMP_SAMPLES;
    this.narrow = sending?.limit === 'bandwidth' && !ramping ? this.narrow + 1 : 0;
    if (quality === 'good' && this.narrow >= NARROW_SAMPLES) quality = 'fair';
    const local = pairLocal ? byId.get(pairLocal) : undefined;
    return {
      framesDecoded: inbound.frames,
      audioPackets: inbound.audio,
      audioLevel: inbound.level,
      roundTripMs: inbound.rtt,
      candidateType: local ? String(local.candidateType ?? '') : null,
      relayProtocol: local?.candidateType === 'relay' ? String(local.relayProtocol ?? '') : null,
      quality,
      sending,
      receiving,
    };
  }
}
