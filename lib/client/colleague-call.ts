// The browser side of a call between two members: one RTCPeerConnection,
// signalling relayed by the server as envelopes under the key only the two
// members derive (lib/protocol/colleague-call.ts). The caller makes the
// offers, after the callee's sealed 'accept'; the callee answers. The DTLS
// fingerprints travel inside the sealed offer and answer, so the relay cannot
// put itself into the media path.
import { ColleagueSignalReceiver, ColleagueSignalSender, type CallParties, type CallSide, type ColleagueSignalBody } from '@/lib/protocol/colleague-call';
import { api } from './api';
import { openEventStream, type SseHandle } from './sse';
import type { IceSetup } from './call';
import { LinkStats, type Quality, type SendFlow, type VideoFlow } from './rtc-stats';

export type ColleagueCallPhase = 'ringing' | 'accepted' | 'ended' | 'declined' | 'missed';

export type ColleagueCallState = {
  phase: ColleagueCallPhase;
  media: RTCPeerConnectionState | 'none';
  remoteMedia: { camera: boolean; microphone: boolean };
  /** Messages that did not open under the call's key (not from the other member). */
  rejected: number;
  quality: Quality;
  sending: SendFlow | null;
  receiving: VideoFlow | null;
  framesDecoded: number;
  audioPackets: number;
  roundTripMs: number | null;
};

type Options = {
  callId: string;
  side: CallSide;
  parties: CallParties;
  key: Uint8Array;
  ice: IceSetup;
  local: MediaStream;
  onState: (s: ColleagueCallState) => void;
  onRemoteStream: (s: MediaStream) => void;
};

const OVER: ColleagueCallPhase[] = ['ended', 'declined', 'missed'];

export class ColleagueCallController {
  private state: ColleagueCallState = { phase: 'ringing', media: 'none', remoteMedia: { camera: true, microphone: true }, rejected: 0, quality: 'unknown', sending: null, receiving: null, framesDecoded: 0, audioPackets: 0, roundTripMs: null };
  private sse: SseHandle | null = null;
  private pc: RTCPeerConnection | null = null;
  private readonly sender: ColleagueSignalSender;
  private readonly receiver: ColleagueSignalReceiver;
  private pending: RTCIceCandidateInit[] = [];
  private remote: MediaStream | null = null;
  private sendChain: Promise<void> = Promise.resolve();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private accepted = false;
  private localMedia = { camera: true, microphone: true };
  private linkStats = new LinkStats();

  constructor(private readonly o: Options) {
    this.sender = new ColleagueSignalSender(o.key, o.parties, o.side);
    this.receiver = new ColleagueSignalReceiver(o.key, o.parties, o.side);
  }

  private set(patch: Partial<ColleagueCallState>) {
    this.state = { ...this.state, ...patch };
    this.o.onState(this.state);
  }

  get current(): ColleagueCallState {
    return this.state;
  }

  private get base() {
    return `/api/colleague-calls/${this.o.callId}`;
  }

  start() {
    this.o.onState(this.state);
    this.sse = openEventStream(`${this.base}/stream`, {
      onFatal: () => this.finish(OVER.includes(this.state.phase) ? this.state.phase : 'ended'),
      onEvent: (e) => {
        try {
          if (e.event === 'signal') void this.onSignal(e.data);
          else if (e.event === 'state') this.onCallState((JSON.parse(e.data) as { state: ColleagueCallPhase }).state);
        } catch {
          // malformed event: ignore
        }
      },
    });
    this.statsTimer = setInterval(() => void this.sampleStats(), 1000);
    window.addEventListener('pagehide', this.onPageHide);
  }

  private onPageHide = () => {
    if (!this.closed) void api(`${this.base}/hangup`, { body: {}, keepalive: true }).catch(() => {});
  };

  private onCallState(phase: ColleagueCallPhase) {
    if (OVER.includes(phase)) return this.finish(phase);
    this.set({ phase });
    // The callee says, sealed, that it is here: only then does the caller offer.
    if (phase === 'accepted' && this.o.side === 'callee' && !this.accepted) {
      this.accepted = true;
      void this.send({ type: 'accept' });
    }
  }

  private send(body: ColleagueSignalBody): Promise<void> {
    const payload = this.sender.seal(body);
    this.sendChain = this.sendChain.then(() =>
      api<unknown>(`${this.base}/signal`, { body: { payload } }).then(
        () => undefined,
        () => undefined,
      ),
    );
    return this.sendChain;
  }

  private async onSignal(sealed: string) {
    const r = this.receiver.open(sealed);
    if (!r.ok) {
      this.set({ rejected: this.state.rejected + 1 });
      return;
    }
    const body = r.msg.body;
    const caller = this.o.side === 'caller';
    try {
      if ((body.type === 'accept' || body.type === 'hello') && caller) await this.makeOffer(false);
      else if (body.type === 'offer' && !caller) await this.onOffer(body.sdp);
      else if (body.type === 'answer' && caller) await this.onAnswer(body.sdp);
      else if (body.type === 'candidate') await this.onCandidate(body.candidate);
      else if (body.type === 'media') this.set({ remoteMedia: { camera: body.camera, microphone: body.microphone } });
      else if (body.type === 'bye') this.finish('ended');
    } catch {
      // A message that does not fit the connection's state; the next offer recovers.
    }
  }

  private newPeer(): RTCPeerConnection {
    this.dropPeer();
    const pc = new RTCPeerConnection({ iceServers: this.o.ice.iceServers, iceTransportPolicy: this.o.ice.iceTransportPolicy });
    this.pc = pc;
    for (const track of this.o.local.getTracks()) pc.addTrack(track, this.o.local);
    pc.onicecandidate = (ev) => void this.send({ type: 'candidate', candidate: ev.candidate ? ev.candidate.toJSON() : null });
    pc.ontrack = (ev) => {
      if (!this.remote) this.remote = new MediaStream();
      if (!this.remote.getTracks().includes(ev.track)) this.remote.addTrack(ev.track);
      this.o.onRemoteStream(this.remote);
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      const st = pc.connectionState;
      this.set({ media: st });
      if (st === 'connected') {
        if (this.restartTimer) clearTimeout(this.restartTimer);
        this.restartTimer = null;
        void this.send({ type: 'media', ...this.localMedia, screen: false });
      }
      if (st === 'disconnected' || st === 'failed') this.scheduleRestart(st === 'failed' ? 0 : 2000);
    };
    return pc;
  }

  /** On a network blip the caller restarts ICE; the callee asks for it. */
  private scheduleRestart(afterMs: number) {
    if (this.restartTimer || this.closed) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      const st = this.pc?.connectionState;
      if (st !== 'disconnected' && st !== 'failed') return;
      if (this.o.side === 'caller') void this.makeOffer(true);
      else void this.send({ type: 'hello' });
    }, afterMs);
  }

  private async makeOffer(restart: boolean) {
    if (this.closed) return;
    const pc = restart && this.pc ? this.pc : this.newPeer();
    const offer = await pc.createOffer(restart ? { iceRestart: true } : {});
    await pc.setLocalDescription(offer);
    await this.send({ type: 'offer', sdp: pc.localDescription!.sdp, restart });
  }

  private async onOffer(sdp: string) {
    let pc = this.pc;
    if (!pc || pc.signalingState === 'closed') pc = this.newPeer();
    else if (pc.signalingState !== 'stable') await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
    } catch {
      pc = this.newPeer();
      await pc.setRemoteDescription({ type: 'offer', sdp });
    }
    await this.flushCandidates();
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.send({ type: 'answer', sdp: pc.localDescription!.sdp });
  }

  private async onAnswer(sdp: string) {
    if (!this.pc || this.pc.signalingState !== 'have-local-offer') return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.flushCandidates();
  }

  private async onCandidate(c: RTCIceCandidateInit | null) {
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

  private dropPeer() {
    if (this.pc) {
      this.pc.onconnectionstatechange = null;
      this.pc.onicecandidate = null;
      this.pc.ontrack = null;
      this.pc.close();
    }
    this.pc = null;
    this.remote = null;
    this.pending = [];
    this.set({ media: 'none', quality: 'unknown', roundTripMs: null, sending: null, receiving: null });
    this.linkStats = new LinkStats();
  }

  setMicrophone(on: boolean) {
    for (const t of this.o.local.getAudioTracks()) t.enabled = on;
    this.localMedia.microphone = on;
    void this.send({ type: 'media', ...this.localMedia, screen: false });
  }

  setCamera(on: boolean) {
    for (const t of this.o.local.getVideoTracks()) t.enabled = on;
    this.localMedia.camera = on;
    void this.send({ type: 'media', ...this.localMedia, screen: false });
  }

  private async sampleStats() {
    const pc = this.pc;
    if (!pc) return;
    const { framesDecoded, audioPackets, roundTripMs, quality, sending, receiving } = await this.linkStats.sample(pc);
    this.set({ framesDecoded, audioPackets, roundTripMs, quality, sending, receiving });
  }

  private finish(phase: ColleagueCallPhase) {
    if (this.closed) return;
    this.closed = true;
    this.sse?.close();
    this.dropPeer();
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    window.removeEventListener('pagehide', this.onPageHide);
    this.set({ phase });
  }

  /** Hang up (or cancel while it rings): tell the other member (sealed) and the server, then close. */
  async hangUp() {
    if (this.closed) return;
    if (this.state.phase === 'accepted') await this.send({ type: 'bye' }).catch(() => {});
    const r = await api<{ state: ColleagueCallPhase }>(`${this.base}/hangup`, { body: {} }).catch(() => null);
    this.finish(r?.state ?? 'ended');
  }

  /** Close without telling anyone (the component unmounts). */
  dispose() {
    this.finish(this.state.phase);
  }
}
