// One RTCPeerConnection to the one other browser of a call (the consultation,
// a call between colleagues). It holds what WebRTC needs: offer and answer,
// trickle ICE, and ICE restarts while the path is broken. What a message is
// sealed with, where it travels, and what the user sees stay with the
// controller around it, so both protocols keep their own envelopes.
import type { SignalBody } from '@/lib/protocol/video';

export type IceSetup = { iceServers: RTCIceServer[]; iceTransportPolicy: RTCIceTransportPolicy };

/** The messages the link sends and answers itself; both call protocols carry them as they are. */
export type LinkSignal = Extract<SignalBody, { type: 'hello' | 'offer' | 'answer' | 'candidate' }>;

/** The connection's state, or 'none' while there is no connection. */
export type LinkState = RTCPeerConnectionState | 'none';

type Options = {
  ice: IceSetup;
  local: MediaStream;
  /** This side makes the offers and restarts ICE; the other answers and asks for a restart with 'hello'. */
  offers: boolean;
  /** Sends one message to the other side, in order; resolves once it is handed over. */
  send: (body: LinkSignal) => Promise<void>;
  onState: (state: LinkState) => void;
  onRemoteStream: (stream: MediaStream) => void;
  /** Each restart this side starts or asks for. */
  onRestart?: () => void;
  /** A track that takes the camera's place on every new connection (a shared screen). */
  videoOverride?: () => MediaStreamTrack | null;
};

/** A blip may heal by itself within 2 s; a failed path will not, so it restarts at once. */
export function restartDelay(state: LinkState): number | null {
  if (state === 'failed') return 0;
  if (state === 'disconnected') return 2000;
  return null;
}

/** The wait after restart number `attempt` (from 0): 3 s more each time, at most 15 s, so a long outage costs little. */
export function retryDelay(attempt: number): number {
  return Math.min(15_000, 3000 * (attempt + 1));
}

export class PeerLink {
  private pc: RTCPeerConnection | null = null;
  // Candidates that arrive before the description they belong to.
  private pending: RTCIceCandidateInit[] = [];
  private remote: MediaStream | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly o: Options) {}

  /** The current connection (for statistics), null between connections. */
  get connection(): RTCPeerConnection | null {
    return this.pc;
  }

  /** Whether there is a connection that may still carry media. */
  get live(): boolean {
    return !!this.pc && !['failed', 'closed'].includes(this.pc.connectionState);
  }

  /** Handles the link's own messages; throws when one does not fit the connection's state. */
  async receive(body: LinkSignal) {
    if (body.type === 'offer' && !this.o.offers) await this.answer(body.sdp);
    else if (body.type === 'answer' && this.o.offers) await this.applyAnswer(body.sdp);
    else if (body.type === 'candidate') await this.addCandidate(body.candidate);
    else if (body.type === 'hello' && this.o.offers) await this.offer(false);
  }

  /** A new connection, or with `restart` new ICE paths for the current one. */
  async offer(restart: boolean) {
    if (this.closed) return;
    const pc = restart && this.pc ? this.pc : this.open();
    const offer = await pc.createOffer(restart ? { iceRestart: true } : {});
    await pc.setLocalDescription(offer);
    await this.o.send({ type: 'offer', sdp: pc.localDescription!.sdp, restart });
  }

  /** Swaps the outgoing picture without renegotiating (null sends none). */
  async replaceVideo(track: MediaStreamTrack | null) {
    const sender = this.pc?.getTransceivers().find((tr) => tr.receiver.track.kind === 'video')?.sender;
    if (sender) await sender.replaceTrack(track);
  }

  /** Closes the connection (the other side left); the next offer opens a new one. */
  drop() {
    if (this.pc) {
      this.pc.onconnectionstatechange = null;
      this.pc.onicecandidate = null;
      this.pc.ontrack = null;
      this.pc.close();
    }
    this.pc = null;
    this.remote = null;
    this.pending = [];
    this.o.onState('none');
  }

  /** For good: no offers or restarts after this. */
  close() {
    this.closed = true;
    this.drop();
    if (this.restartTimer) clearTimeout(this.restartTimer);
  }

  private open(): RTCPeerConnection {
    this.drop();
    const { ice, local } = this.o;
    const pc = new RTCPeerConnection({ iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy });
    this.pc = pc;
    for (const track of local.getTracks()) pc.addTrack(track, local);
    const override = this.o.videoOverride?.();
    if (override) void this.replaceVideo(override);
    pc.onicecandidate = (ev) => void this.o.send({ type: 'candidate', candidate: ev.candidate ? ev.candidate.toJSON() : null });
    pc.ontrack = (ev) => {
      if (!this.remote) this.remote = new MediaStream();
      if (!this.remote.getTracks().includes(ev.track)) this.remote.addTrack(ev.track);
      this.o.onRemoteStream(this.remote);
    };
    pc.onconnectionstatechange = () => {
      // A connection already replaced may still report; only the current one counts.
      if (this.pc !== pc) return;
      const st = pc.connectionState;
      if (st === 'connected' && this.restartTimer) {
        clearTimeout(this.restartTimer);
        this.restartTimer = null;
      }
      this.o.onState(st);
      const after = restartDelay(st);
      if (after !== null) this.scheduleRestart(after);
    };
    return pc;
  }

  /**
   * The offering side restarts ICE, the other asks for it: a network switch
   * or a TURN server restarting is survived without setting the call up anew.
   */
  private scheduleRestart(afterMs: number, attempt = 0) {
    if (this.restartTimer || this.closed) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      const st = this.pc?.connectionState;
      if (st !== 'disconnected' && st !== 'failed') return;
      this.o.onRestart?.();
      if (this.o.offers) void this.offer(true);
      else void this.o.send({ type: 'hello' });
      // Again, a little later each time, until the path is back.
      this.scheduleRestart(retryDelay(attempt), attempt + 1);
    }, afterMs);
  }

  private async answer(sdp: string) {
    let pc = this.pc;
    if (!pc || pc.signalingState === 'closed') pc = this.open();
    // An earlier offer is still half-handled: the newer one replaces it.
    else if (pc.signalingState !== 'stable') await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
    } catch {
      // An offer for a new connection (the other side reloaded): start afresh.
      pc = this.open();
      await pc.setRemoteDescription({ type: 'offer', sdp });
    }
    await this.flushCandidates();
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.o.send({ type: 'answer', sdp: pc.localDescription!.sdp });
  }

  private async applyAnswer(sdp: string) {
    if (!this.pc || this.pc.signalingState !== 'have-local-offer') return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.flushCandidates();
  }

  private async addCandidate(c: RTCIceCandidateInit | null) {
    if (!c) return;
    if (!this.pc || !this.pc.remoteDescription) {
      this.pending.push(c);
      return;
    }
    await this.pc.addIceCandidate(c).catch(() => {});
  }

  private async flushCandidates() {
    const list = this.pending;
    this.pending = [];
    for (const c of list) await this.pc?.addIceCandidate(c).catch(() => {});
  }
}
