// The browser side of a 1:1 consultation: one RTCPeerConnection, signalling
// through the server's relay, every message sealed under the key derived
// from the patient's access code. The host (practice) makes the offers; the
// patient answers. Media flows peer to peer under DTLS-SRTP, and because the
// DTLS fingerprints travel inside sealed messages, the relay cannot insert
// itself into the call.
import { SignalReceiver, SignalSender, type SignalBody, type SignalRole } from '@/lib/protocol/video';
import { api, ApiError } from './api';
import { openEventStream, type SseHandle } from './sse';
import { LinkStats, type Quality, type SendFlow, type VideoFlow } from './rtc-stats';

export type IceSetup = { iceServers: RTCIceServer[]; iceTransportPolicy: RTCIceTransportPolicy };


export type RoomParticipant = {
  id: string;
  role: SignalRole;
  state: 'waiting' | 'admitted' | 'left';
  /** Hosts: how they entered (as a signed-in member, or by the doctor code). */
  via?: 'member' | 'code' | null;
  hostShortName?: string | null;
};

export type CallState = {
  /** Connection to the relay (the event stream). */
  relay: 'connecting' | 'online' | 'reconnecting' | 'closed';
  /** For the patient: waiting → admitted. For the host: whether a patient waits. */
  phase: 'waiting' | 'admitted' | 'ended' | 'cancelled' | 'replaced';
  media: RTCPeerConnectionState | 'none';
  peerPresent: boolean;
  peerLeft: boolean;
  waitingPatient: RoomParticipant | null;
  admittedPatient: RoomParticipant | null;
  /** The other hosts in the room, for the practice to see who else is there and how they entered. */
  otherHosts: RoomParticipant[];
  remoteMedia: { camera: boolean; microphone: boolean; screen: boolean };
  rejected: number;
  quality: Quality;
  /** The own video as sent, and why smaller (bandwidth adaptation); the other side's as decoded here. */
  sending: SendFlow | null;
  receiving: VideoFlow | null;
  framesDecoded: number;
  /** Audio packets received from the other side (they can be heard). */
  audioPackets: number;
  candidateType: string | null;
  /** How this side reaches its TURN server when it sends through one: udp, tcp or tls. */
  relayProtocol: string | null;
  /** ICE restarts this side started or asked for since the call began. */
  iceRestarts: number;
  roundTripMs: number | null;
};

type Options = {
  role: SignalRole;
  token: string;
  participantId: string;
  appointmentId: string;
  key: Uint8Array;
  ice: IceSetup;
  local: MediaStream;
  onState: (s: CallState) => void;
  onRemoteStream: (s: MediaStream) => void;
};

const INITIAL: CallState = {
  relay: 'connecting',
  phase: 'waiting',
  media: 'none',
  peerPresent: false,
  peerLeft: false,
  waitingPatient: null,
  admittedPatient: null,
  otherHosts: [],
  remoteMedia: { camera: true, microphone: true, screen: false },
  rejected: 0,
  quality: 'unknown',
  sending: null,
  receiving: null,
  framesDecoded: 0,
  audioPackets: 0,
  candidateType: null,
  relayProtocol: null,
  iceRestarts: 0,
  roundTripMs: null,
};

export class CallController {
  private state: CallState = { ...INITIAL, phase: 'waiting' };
  private sse: SseHandle | null = null;
  private pc: RTCPeerConnection | null = null;
  private sender: SignalSender;
  private receiver: SignalReceiver;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private remoteStream: MediaStream | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private reported = false;
  private closed = false;
  private sendChain: Promise<void> = Promise.resolve();
  private screenTrack: MediaStreamTrack | null = null;
  private localMedia = { camera: true, microphone: true, screen: false };

  constructor(private readonly o: Options) {
    this.sender = new SignalSender(o.key, o.appointmentId, o.role);
    this.receiver = new SignalReceiver(o.key, o.appointmentId, o.role);
    if (o.role === 'host') this.state.phase = 'admitted';
  }

  private set(patch: Partial<CallState>) {
    this.state = { ...this.state, ...patch };
    this.o.onState(this.state);
  }

  get current(): CallState {
    return this.state;
  }

  private headers() {
    return { 'x-call-token': this.o.token };
  }

  start() {
    this.o.onState(this.state);
    this.sse = openEventStream('/api/calls/stream', {
      headers: this.headers(),
      onOpen: () => this.set({ relay: 'online' }),
      onDown: () => this.set({ relay: 'reconnecting' }),
      onFatal: () => {
        if (!this.closed) this.finish(this.state.phase === 'cancelled' ? 'cancelled' : 'ended');
      },
      onEvent: (e) => {
        try {
          if (e.event === 'signal') void this.onSignal(e.data);
          else if (e.event === 'state') this.onRoom(JSON.parse(e.data));
          else if (e.event === 'participant') this.onParticipant(JSON.parse(e.data));
          else if (e.event === 'appointment') {
            const a = JSON.parse(e.data) as { state: string };
            if (a.state === 'cancelled') this.finish('cancelled');
          }
        } catch {
          // malformed event: ignore
        }
      },
    });
    this.statsTimer = setInterval(() => void this.sampleStats(), 1000);
    window.addEventListener('pagehide', this.onPageHide);
  }

  private onPageHide = () => {
    if (!this.closed) {
      void api('/api/calls/leave', { body: {}, headers: this.headers(), keepalive: true }).catch(() => {});
    }
  };

  // -- room events (from the server, about presence; carry no secrets) ------

  private onRoom(s: { me: string; participants: RoomParticipant[]; appointment: string }) {
    if (s.appointment === 'cancelled') return this.finish('cancelled');
    const others = s.participants.filter((p) => p.id !== s.me);
    if (this.o.role === 'host') {
      const patient = others.find((p) => p.role === 'patient') ?? null;
      this.set({
        otherHosts: others.filter((p) => p.role === 'host'),
        peerPresent: !!patient,
        waitingPatient: patient?.state === 'waiting' ? patient : null,
        admittedPatient: patient?.state === 'admitted' ? patient : null,
      });
      // The host (re)joined while the patient is already in: offer again.
      const live = this.pc && !['failed', 'closed'].includes(this.pc.connectionState);
      if (patient?.state === 'admitted' && !live) void this.makeOffer(false);
    } else {
      const mine = s.participants.find((p) => p.id === s.me);
      this.set({ peerPresent: others.some((p) => p.role === 'host'), phase: mine?.state === 'admitted' ? 'admitted' : 'waiting' });
    }
  }

  private onParticipant(e: { role: SignalRole; participantId: string; state: string; via?: 'member' | 'code'; hostShortName?: string | null }) {
    if (e.participantId === this.o.participantId) {
      if (e.state === 'admitted') this.set({ phase: 'admitted' });
      if (e.state === 'left') this.finish('replaced');
      return;
    }
    if (this.o.role === 'host' && e.role === 'host') {
      const rest = this.state.otherHosts.filter((h) => h.id !== e.participantId);
      if (e.state === 'left') this.set({ otherHosts: rest });
      else if (e.via) this.set({ otherHosts: [...rest, { id: e.participantId, role: 'host', state: 'admitted', via: e.via, hostShortName: e.hostShortName ?? null }] });
    }
    if (this.o.role === 'host' && e.role === 'patient') {
      const p: RoomParticipant = { id: e.participantId, role: 'patient', state: e.state as RoomParticipant['state'] };
      if (e.state === 'waiting') this.set({ waitingPatient: p, peerPresent: true, peerLeft: false });
      else if (e.state === 'admitted') this.set({ waitingPatient: null, admittedPatient: p, peerPresent: true });
      else if (e.state === 'left') {
        const wasInCall = this.state.admittedPatient?.id === e.participantId;
        if (this.state.waitingPatient?.id === e.participantId || wasInCall) {
          this.set({ waitingPatient: null, admittedPatient: null, peerPresent: false, peerLeft: wasInCall });
          if (wasInCall) this.dropPeer();
        }
      }
    }
    if (this.o.role === 'patient' && e.role === 'host') {
      if (e.state === 'left') {
        // The sealed 'bye' may have arrived first and closed the connection already.
        this.set({ peerPresent: false, peerLeft: this.state.peerLeft || this.state.media !== 'none' });
        this.dropPeer();
      } else {
        this.set({ peerPresent: true, peerLeft: false });
      }
    }
  }

  // -- signalling -----------------------------------------------------------

  private send(body: SignalBody): Promise<void> {
    const payload = this.sender.seal(body);
    // In order, one at a time: candidates must not overtake their offer.
    this.sendChain = this.sendChain.then(() =>
      api<unknown>('/api/calls/signal', { body: { payload }, headers: this.headers() }).then(
        () => undefined,
        () => undefined,
      ),
    );
    return this.sendChain;
  }

  private async onSignal(sealed: string) {
    const r = this.receiver.open(sealed);
    if (!r.ok) {
      // Not from the other browser: whoever relayed it does not hold the code.
      this.set({ rejected: this.state.rejected + 1 });
      return;
    }
    const body = r.msg.body;
    try {
      if (body.type === 'offer' && this.o.role === 'patient') await this.onOffer(body.sdp);
      else if (body.type === 'answer' && this.o.role === 'host') await this.onAnswer(body.sdp);
      else if (body.type === 'candidate') await this.onCandidate(body.candidate);
      else if (body.type === 'media') this.set({ remoteMedia: { camera: body.camera, microphone: body.microphone, screen: body.screen } });
      else if (body.type === 'bye') {
        this.set({ peerLeft: true });
        this.dropPeer();
      } else if (body.type === 'hello' && this.o.role === 'host') await this.makeOffer(false);
    } catch {
      // A message that does not fit the connection's state; the next offer recovers.
    }
  }

  private newPeer(): RTCPeerConnection {
    this.dropPeer();
    const pc = new RTCPeerConnection({ iceServers: this.o.ice.iceServers, iceTransportPolicy: this.o.ice.iceTransportPolicy });
    this.pc = pc;
    for (const track of this.o.local.getTracks()) pc.addTrack(track, this.o.local);
    if (this.screenTrack) void this.replaceVideo(this.screenTrack);
    pc.onicecandidate = (ev) => void this.send({ type: 'candidate', candidate: ev.candidate ? ev.candidate.toJSON() : null });
    pc.ontrack = (ev) => {
      if (!this.remoteStream) this.remoteStream = new MediaStream();
      if (!this.remoteStream.getTracks().includes(ev.track)) this.remoteStream.addTrack(ev.track);
      this.o.onRemoteStream(this.remoteStream);
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      const st = pc.connectionState;
      this.set({ media: st });
      if (st === 'connected') {
        if (this.restartTimer) clearTimeout(this.restartTimer);
        this.restartTimer = null;
        this.set({ peerLeft: false });
        void this.send({ type: 'media', ...this.localMedia });
        if (!this.reported) {
          this.reported = true;
          void api('/api/calls/connected', { body: {}, headers: this.headers() }).catch(() => {});
        }
      }
      if (st === 'disconnected' || st === 'failed') this.scheduleRestart(st === 'failed' ? 0 : 2000);
    };
    return pc;
  }

  /**
   * On a network blip the host restarts ICE; the patient asks for it. Tried
   * again, a little later each time, until the path is back (a network
   * switch, a TURN server restarting) — never a new admission.
   */
  private scheduleRestart(afterMs: number, attempt = 0) {
    if (this.restartTimer || this.closed) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      const st = this.pc?.connectionState;
      if (st !== 'disconnected' && st !== 'failed') return;
      this.set({ iceRestarts: this.state.iceRestarts + 1 });
      if (this.o.role === 'host') void this.makeOffer(true);
      else void this.send({ type: 'hello' });
      this.scheduleRestart(Math.min(15_000, 3000 * (attempt + 1)), attempt + 1);
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
      // An offer for a new connection (the host reloaded): start afresh.
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
      this.pendingCandidates.push(c);
      return;
    }
    await this.pc.addIceCandidate(c).catch(() => {});
  }

  private async flushCandidates() {
    const list = this.pendingCandidates;
    this.pendingCandidates = [];
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
    this.remoteStream = null;
    this.pendingCandidates = [];
    this.set({ media: 'none', quality: 'unknown', roundTripMs: null, candidateType: null, relayProtocol: null, sending: null, receiving: null });
    this.linkStats = new LinkStats();
  }

  // -- host actions -----------------------------------------------------------

  /** "Hereinbitten": admit, then offer at once so the patient can answer as soon as it hears. */
  async admit(participantId: string) {
    await api('/api/calls/admit', { body: { participantId }, headers: this.headers() });
    this.set({ waitingPatient: null, admittedPatient: { id: participantId, role: 'patient', state: 'admitted' }, peerLeft: false });
    await this.makeOffer(false);
  }

  // -- media controls ---------------------------------------------------------

  setMicrophone(on: boolean) {
    for (const t of this.o.local.getAudioTracks()) t.enabled = on;
    this.localMedia.microphone = on;
    void this.send({ type: 'media', ...this.localMedia });
  }

  setCamera(on: boolean) {
    for (const t of this.o.local.getVideoTracks()) t.enabled = on;
    this.localMedia.camera = on;
    void this.send({ type: 'media', ...this.localMedia });
  }

  private async replaceVideo(track: MediaStreamTrack | null) {
    const sender = this.pc?.getTransceivers().find((tr) => tr.receiver.track.kind === 'video')?.sender;
    if (sender) await sender.replaceTrack(track);
  }

  /**
   * Screen sharing replaces the camera picture. The server is asked first and
   * refuses on plan basis; only then does the browser offer the screen.
   */
  async shareScreen(getDisplay: () => Promise<MediaStream> = () => navigator.mediaDevices.getDisplayMedia({ video: true, audio: false })) {
    await api('/api/calls/screen-share', { body: {}, headers: this.headers() });
    const display = await getDisplay();
    const track = display.getVideoTracks()[0];
    if (!track) return;
    this.screenTrack = track;
    track.addEventListener('ended', () => void this.stopScreen());
    await this.replaceVideo(track);
    this.localMedia.screen = true;
    void this.send({ type: 'media', ...this.localMedia });
  }

  async stopScreen() {
    if (!this.screenTrack) return;
    this.screenTrack.stop();
    this.screenTrack = null;
    await this.replaceVideo(this.o.local.getVideoTracks()[0] ?? null);
    this.localMedia.screen = false;
    void this.send({ type: 'media', ...this.localMedia });
  }

  get sharingScreen(): boolean {
    return !!this.screenTrack;
  }

  // -- statistics ---------------------------------------------------------------

  private linkStats = new LinkStats();

  private async sampleStats() {
    const pc = this.pc;
    if (!pc) return;
    const { audioLevel: _level, ...sample } = await this.linkStats.sample(pc);
    this.set(sample);
  }

  // -- leaving ------------------------------------------------------------------

  private finish(phase: CallState['phase']) {
    if (this.closed) return;
    this.closed = true;
    this.sse?.close();
    this.dropPeer();
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    window.removeEventListener('pagehide', this.onPageHide);
    this.set({ phase, relay: 'closed' });
  }

  /** Hang up: tell the other browser (sealed) and the server, then close everything. */
  async hangUp() {
    if (this.closed) return;
    await this.send({ type: 'bye' }).catch(() => {});
    await api('/api/calls/leave', { body: {}, headers: this.headers() }).catch((e: unknown) => {
      if (!(e instanceof ApiError)) throw e;
    });
    this.finish('ended');
  }

  /** Close without telling anyone (the component unmounts). */
  dispose() {
    this.finish(this.state.phase);
  }
}
