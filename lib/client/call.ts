// The browser side of a 1:1 consultation: one RTCPeerConnection, signalling
// through the server's relay, every message sealed under the key derived
// from the patient's access code. The host (practice) makes the offers; the
// patient answers. Media flows peer to peer under DTLS-SRTP, and because the
// DTLS fingerprints travel inside sealed messages, the relay cannot insert
// itself into the call.
import { SignalReceiver, SignalSender, type SignalBody, type SignalRole } from '@/lib/protocol/video';
import { api, ApiError } from './api';
import { openEventStream, type SseHandle } from './sse';
import { LinkStats, type LinkSample } from './rtc-stats';
import { PeerLink, type IceSetup, type LinkState } from './peer-link';
import { SealedChannel } from './sealed-channel';


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
  /** ICE restarts this side started or asked for since the call began. */
  iceRestarts: number;
} & Omit<LinkSample, 'audioLevel'>;

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
  private readonly link: PeerLink;
  private readonly channel: SealedChannel<SignalBody>;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private reported = false;
  private closed = false;
  private screenTrack: MediaStreamTrack | null = null;

  constructor(private readonly o: Options) {
    this.channel = new SealedChannel({
      sender: new SignalSender(o.key, o.appointmentId, o.role),
      receiver: new SignalReceiver(o.key, o.appointmentId, o.role),
      post: (payload) => api<unknown>('/api/calls/signal', { body: { payload }, headers: this.headers() }),
      onMessage: (body) => this.onSignal(body),
      onRejected: (rejected) => this.set({ rejected }),
      local: o.local,
    });
    if (o.role === 'host') this.state.phase = 'admitted';
    this.link = new PeerLink({
      ice: o.ice,
      local: o.local,
      offers: o.role === 'host',
      send: (body) => this.channel.send(body),
      onState: (media) => this.onLink(media),
      onRemoteStream: (stream) => o.onRemoteStream(stream),
      onRestart: () => this.set({ iceRestarts: this.state.iceRestarts + 1 }),
      // A screen shared before a reconnect stays shared on the new connection.
      videoOverride: () => this.screenTrack,
    });
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
          if (e.event === 'signal') void this.channel.receive(e.data);
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
      if (patient?.state === 'admitted' && !this.link.live) void this.link.offer(false);
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
          if (wasInCall) this.link.drop();
        }
      }
    }
    if (this.o.role === 'patient' && e.role === 'host') {
      if (e.state === 'left') {
        // The sealed 'bye' may have arrived first and closed the connection already.
        this.set({ peerPresent: false, peerLeft: this.state.peerLeft || this.state.media !== 'none' });
        this.link.drop();
      } else {
        this.set({ peerPresent: true, peerLeft: false });
      }
    }
  }

  // -- signalling -----------------------------------------------------------

  /** A message the other browser sealed (one that did not open never gets here). */
  private async onSignal(body: SignalBody) {
    if (body.type === 'media') this.set({ remoteMedia: { camera: body.camera, microphone: body.microphone, screen: body.screen } });
    else if (body.type === 'bye') {
      this.set({ peerLeft: true });
      this.link.drop();
    } else await this.link.receive(body);
  }

  /** 'none' between connections: what was measured of the last one no longer holds. */
  private onLink(media: LinkState) {
    if (media === 'none') {
      this.set({ media, quality: 'unknown', roundTripMs: null, candidateType: null, relayProtocol: null, sending: null, receiving: null });
      this.linkStats = new LinkStats();
      return;
    }
    this.set({ media });
    if (media !== 'connected') return;
    this.set({ peerLeft: false });
    void this.channel.announceMedia();
    // The server records the call's start from the first report; a reconnect is not a new call.
    if (!this.reported) {
      this.reported = true;
      void api('/api/calls/connected', { body: {}, headers: this.headers() }).catch(() => {});
    }
  }

  // -- host actions -----------------------------------------------------------

  /** "Hereinbitten": admit, then offer at once so the patient can answer as soon as it hears. */
  async admit(participantId: string) {
    await api('/api/calls/admit', { body: { participantId }, headers: this.headers() });
    this.set({ waitingPatient: null, admittedPatient: { id: participantId, role: 'patient', state: 'admitted' }, peerLeft: false });
    await this.link.offer(false);
  }

  // -- media controls ---------------------------------------------------------

  setMicrophone(on: boolean) {
    this.channel.setMicrophone(on);
  }

  setCamera(on: boolean) {
    this.channel.setCamera(on);
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
    await this.link.replaceVideo(track);
    this.channel.setScreen(true);
  }

  async stopScreen() {
    if (!this.screenTrack) return;
    this.screenTrack.stop();
    this.screenTrack = null;
    await this.link.replaceVideo(this.o.local.getVideoTracks()[0] ?? null);
    this.channel.setScreen(false);
  }

  get sharingScreen(): boolean {
    return !!this.screenTrack;
  }

  // -- statistics ---------------------------------------------------------------

  private linkStats = new LinkStats();

  private async sampleStats() {
    const pc = this.link.connection;
    if (!pc) return;
    const { audioLevel: _level, ...sample } = await this.linkStats.sample(pc);
    this.set(sample);
  }

  // -- leaving ------------------------------------------------------------------

  private finish(phase: CallState['phase']) {
    if (this.closed) return;
    this.closed = true;
    this.sse?.close();
    this.link.close();
    if (this.statsTimer) clearInterval(this.statsTimer);
    window.removeEventListener('pagehide', this.onPageHide);
    this.set({ phase, relay: 'closed' });
  }

  /** Hang up: tell the other browser (sealed) and the server, then close everything. */
  async hangUp() {
    if (this.closed) return;
    await this.channel.send({ type: 'bye' }).catch(() => {});
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
