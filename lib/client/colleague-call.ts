// The browser side of a call between two members: one RTCPeerConnection,
// signalling relayed by the server as envelopes under the key only the two
// members derive (lib/protocol/colleague-call.ts). The caller makes the
// offers, after the callee's sealed 'accept'; the callee answers. The DTLS
// fingerprints travel inside the sealed offer and answer, so the relay cannot
// put itself into the media path.
import { ColleagueSignalReceiver, ColleagueSignalSender, type CallParties, type CallSide, type ColleagueSignalBody } from '@/lib/protocol/colleague-call';
import { api } from './api';
import { openEventStream, type SseHandle } from './sse';
import { PeerLink, type IceSetup, type LinkState } from './peer-link';
import { LinkStats, type LinkSample } from './rtc-stats';
import { SealedChannel } from './sealed-channel';

export type ColleagueCallPhase = 'ringing' | 'accepted' | 'ended' | 'declined' | 'missed';

export type ColleagueCallState = {
  phase: ColleagueCallPhase;
  media: RTCPeerConnectionState | 'none';
  remoteMedia: { camera: boolean; microphone: boolean };
  /** Messages that did not open under the call's key (not from the other member). */
  rejected: number;
} & Pick<LinkSample, 'quality' | 'sending' | 'receiving' | 'framesDecoded' | 'audioPackets' | 'roundTripMs'>;

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
  private readonly link: PeerLink;
  private readonly channel: SealedChannel<ColleagueSignalBody>;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private accepted = false;
  private linkStats = new LinkStats();

  constructor(private readonly o: Options) {
    this.channel = new SealedChannel({
      sender: new ColleagueSignalSender(o.key, o.parties, o.side),
      receiver: new ColleagueSignalReceiver(o.key, o.parties, o.side),
      post: (payload) => api<unknown>(`${this.base}/signal`, { body: { payload } }),
      onMessage: (body) => this.onSignal(body),
      onRejected: (rejected) => this.set({ rejected }),
      local: o.local,
    });
    this.link = new PeerLink({
      ice: o.ice,
      local: o.local,
      offers: o.side === 'caller',
      send: (body) => this.channel.send(body),
      onState: (media) => this.onLink(media),
      onRemoteStream: (stream) => o.onRemoteStream(stream),
    });
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
          if (e.event === 'signal') void this.channel.receive(e.data);
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
      void this.channel.send({ type: 'accept' });
    }
  }

  /** A message the other member sealed (one that did not open never gets here). */
  private async onSignal(body: ColleagueSignalBody) {
    if (body.type === 'accept') {
      if (this.o.side === 'caller') await this.link.offer(false);
    } else if (body.type === 'media') this.set({ remoteMedia: { camera: body.camera, microphone: body.microphone } });
    else if (body.type === 'bye') this.finish('ended');
    else await this.link.receive(body);
  }

  /** 'none' between connections: what was measured of the last one no longer holds. */
  private onLink(media: LinkState) {
    if (media === 'none') {
      this.set({ media, quality: 'unknown', roundTripMs: null, sending: null, receiving: null });
      this.linkStats = new LinkStats();
      return;
    }
    this.set({ media });
    if (media === 'connected') void this.channel.announceMedia();
  }

  setMicrophone(on: boolean) {
    this.channel.setMicrophone(on);
  }

  setCamera(on: boolean) {
    this.channel.setCamera(on);
  }

  private async sampleStats() {
    const pc = this.link.connection;
    if (!pc) return;
    const { framesDecoded, audioPackets, roundTripMs, quality, sending, receiving } = await this.linkStats.sample(pc);
    this.set({ framesDecoded, audioPackets, roundTripMs, quality, sending, receiving });
  }

  private finish(phase: ColleagueCallPhase) {
    if (this.closed) return;
    this.closed = true;
    this.sse?.close();
    this.link.close();
    if (this.statsTimer) clearInterval(this.statsTimer);
    window.removeEventListener('pagehide', this.onPageHide);
    this.set({ phase });
  }

  /** Hang up (or cancel while it rings): tell the other member (sealed) and the server, then close. */
  async hangUp() {
    if (this.closed) return;
    if (this.state.phase === 'accepted') await this.channel.send({ type: 'bye' }).catch(() => {});
    const r = await api<{ state: ColleagueCallPhase }>(`${this.base}/hangup`, { body: {} }).catch(() => null);
    this.finish(r?.state ?? 'ended');
  }

  /** Close without telling anyone (the component unmounts). */
  dispose() {
    this.finish(this.state.phase);
  }
}
