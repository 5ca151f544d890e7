// The browser side of a mesh conference: one RTCPeerConnection to every other
// participant in the room, signalling relayed by the server as envelopes under
// the conference key (lib/protocol/conference.ts). For each pair the
// participant whose id sorts first offers. The DTLS fingerprints travel inside
// the sealed offers and answers, so the relay cannot put itself into the media
// path; chat and raised hands go over a data channel of each connection and
// never pass the server. When the server has a LiveKit server configured, the
// media, chat and hands go through it instead (lib/client/conference-livekit.ts,
// loaded only then); lobby, admission, removal, the host's mute and the end stay
// on this signalling either way.
import {
  ConferenceSignalReceiver,
  ConferenceSignalSender,
  offersTo,
  openGuestName,
  type ConferenceSignalBody,
} from '@/lib/protocol/conference';
import { api } from '@/lib/client/api';
import { openEventStream, type SseHandle } from '@/lib/client/sse';
import type { IceSetup } from '@/lib/client/peer-link';
import { MAX_CHAT_LENGTH, type ConferenceData } from '@/lib/protocol/conference-media';
import { lossSince, rateQuality, readInbound, type Quality } from './rtc-stats';
import type { LivekitMedia, LivekitStatus } from './conference-livekit';

export { MAX_CHAT_LENGTH };

/** How this conference's media travels: browser to browser, or through the LiveKit server (the server says which). */
export type MediaPath = 'mesh' | 'livekit';

export type ConferencePhase = 'connecting' | 'lobby' | 'in' | 'ended' | 'removed' | 'gone';

export type ConferencePerson = { id: string; name: string; guest: boolean; isHost: boolean; state: 'waiting' | 'admitted'; me: boolean };

export type PeerView = {
  media: RTCPeerConnectionState | 'new';
  camera: boolean;
  microphone: boolean;
  screen: boolean;
  hand: boolean;
  audioLevel: number;
  framesDecoded: number;
  audioPackets: number;
  quality: Quality;
};

export type ChatLine = { id: string; from: string; name: string; text: string; at: number; mine: boolean };

export type ConferenceState = {
  phase: ConferencePhase;
  me: string | null;
  isHost: boolean;
  people: ConferencePerson[];
  peers: Record<string, PeerView>;
  chat: ChatLine[];
  /** Messages that did not open under the conference key for their claimed sender. */
  rejected: number;
  hand: boolean;
  /** This browser's own microphone, camera and screen as it sends them. */
  own: { microphone: boolean; camera: boolean; screen: boolean };
  mutedByHost: boolean;
  /** The participant speaking loudest right now (null: nobody). */
  speaker: string | null;
  media: MediaPath;
  /** The LiveKit connection (null on the mesh). */
  livekit: LivekitStatus | null;
};

type RoomStateEvent = {
  me: string;
  myState: 'waiting' | 'admitted';
  state: string;
  participants: { id: string; state: 'waiting' | 'admitted'; userId: string | null; shortName: string | null; nameEnc: string | null; isHost: boolean; guest: boolean }[];
};

type Options = {
  conferenceId: string;
  token: string;
  key: Uint8Array;
  ice: IceSetup;
  media: MediaPath;
  local: MediaStream;
  onState: (s: ConferenceState) => void;
  onRemoteStream: (peerId: string, s: MediaStream | null) => void;
};

type Peer = {
  id: string;
  pc: RTCPeerConnection;
  channel: RTCDataChannel;
  remote: MediaStream;
  pending: RTCIceCandidateInit[];
  restartTimer: ReturnType<typeof setTimeout> | null;
  lastLoss: { lost: number; received: number };
};

type DataMessage = ConferenceData;

const EMPTY_PEER: PeerView = { media: 'new', camera: true, microphone: true, screen: false, hand: false, audioLevel: 0, framesDecoded: 0, audioPackets: 0, quality: 'unknown' };
const SPEAKING_LEVEL = 0.02;

export class ConferenceController {
  private state: ConferenceState;
  private sse: SseHandle | null = null;
  private peers = new Map<string, Peer>();
  private sender: ConferenceSignalSender | null = null;
  private receiver: ConferenceSignalReceiver | null = null;
  /** One queue per peer: each connection's messages stay in order, and no connection waits for another's. */
  private sendChains = new Map<string, Promise<void>>();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private localMedia = { camera: true, microphone: true, screen: false };
  private screenTrack: MediaStreamTrack | null = null;
  private leaveTimer: ReturnType<typeof setTimeout> | null = null;
  private local: MediaStream;
  /** The LiveKit connection, once admitted on the LiveKit path. */
  private lk: LivekitMedia | null = null;
  private lkLoading = false;
  private lkLoss = new Map<string, { lost: number; received: number }>();

  constructor(private readonly o: Options) {
    this.local = o.local;
    this.state = { phase: 'connecting', me: null, isHost: false, people: [], peers: {}, chat: [], rejected: 0, hand: false, own: { microphone: true, camera: true, screen: false }, mutedByHost: false, speaker: null, media: o.media, livekit: null };
  }

  /** What this browser sends of a kind: the shared screen before the camera. */
  private track(kind: 'audio' | 'video'): MediaStreamTrack | null {
    if (kind === 'video' && this.screenTrack) return this.screenTrack;
    return (kind === 'audio' ? this.local.getAudioTracks() : this.local.getVideoTracks())[0] ?? null;
  }

  /**
   * Camera and microphone arrived or changed (the device check may still be
   * asking when someone enters): every connection sends the new tracks, with
   * the microphone and camera switches as they stand.
   */
  setLocal(stream: MediaStream) {
    if (stream === this.local) return;
    this.local = stream;
    for (const t of stream.getAudioTracks()) t.enabled = this.localMedia.microphone;
    for (const t of stream.getVideoTracks()) t.enabled = this.localMedia.camera;
    for (const p of this.peers.values()) this.attachTracks(p.pc);
    this.lk?.setLocal(stream);
  }

  /** Every audio and video transceiver sends this browser's track of its kind (or nothing) and receives. */
  private attachTracks(pc: RTCPeerConnection) {
    for (const tr of pc.getTransceivers()) {
      const kind = tr.receiver.track.kind as 'audio' | 'video';
      if (kind !== 'audio' && kind !== 'video') continue;
      if (tr.currentDirection === 'stopped') continue;
      tr.direction = 'sendrecv';
      const track = this.track(kind);
      if (tr.sender.track !== track) void tr.sender.replaceTrack(track).catch(() => {});
      tr.sender.setStreams(this.local);
    }
  }

  get current(): ConferenceState {
    return this.state;
  }

  private set(patch: Partial<ConferenceState>) {
    this.state = { ...this.state, ...patch };
    this.o.onState(this.state);
  }

  private setPeer(id: string, patch: Partial<PeerView>) {
    const cur = this.state.peers[id] ?? EMPTY_PEER;
    this.set({ peers: { ...this.state.peers, [id]: { ...cur, ...patch } } });
  }

  private get headers() {
    return { 'x-conference-token': this.o.token };
  }

  /** Opens the stream; after dispose() (a remount) it starts afresh. */
  start() {
    if (this.leaveTimer) clearTimeout(this.leaveTimer);
    this.leaveTimer = null;
    this.closed = false;
    this.state = { ...this.state, phase: 'connecting', peers: {}, speaker: null };
    this.o.onState(this.state);
    this.sse = openEventStream('/api/conferences/room/stream', {
      headers: this.headers,
      onFatal: () => this.finish('gone'),
      onEvent: (e) => {
        try {
          if (e.event === 'state') this.onRoom(JSON.parse(e.data) as RoomStateEvent);
          else if (e.event === 'signal') {
            const { from, payload } = JSON.parse(e.data) as { from: string; payload: string };
            void this.onSignal(from, payload);
          } else if (e.event === 'ended') this.finish('ended');
          else if (e.event === 'removed') this.finish('removed');
          else if (e.event === 'gone') this.finish('gone');
        } catch {
          // malformed event: ignore
        }
      },
    });
    this.statsTimer = setInterval(() => void this.sampleStats(), 1000);
    window.addEventListener('pagehide', this.onPageHide);
  }

  private onPageHide = () => {
    if (!this.closed) void api('/api/conferences/room/leave', { body: {}, headers: this.headers, keepalive: true }).catch(() => {});
  };

  private onRoom(r: RoomStateEvent) {
    if (this.closed) return;
    if (!this.sender) {
      this.sender = new ConferenceSignalSender(this.o.key, this.o.conferenceId, r.me);
      this.receiver = new ConferenceSignalReceiver(this.o.key, this.o.conferenceId, r.me);
    }
    const people: ConferencePerson[] = r.participants.map((p) => ({
      id: p.id,
      name: p.guest ? (openGuestName(this.o.key, this.o.conferenceId, p.nameEnc) ?? '?') : (p.shortName ?? '?'),
      guest: p.guest,
      isHost: p.isHost,
      state: p.state,
      me: p.id === r.me,
    }));
    const mine = people.find((p) => p.me);
    this.set({ me: r.me, isHost: !!mine?.isHost, people, phase: r.myState === 'admitted' ? 'in' : 'lobby' });
    if (r.myState !== 'admitted') return;
    if (this.o.media === 'livekit') return void this.startLivekit(r.me);
    const inRoom = new Set(people.filter((p) => p.state === 'admitted' && !p.me).map((p) => p.id));
    for (const id of [...this.peers.keys()]) if (!inRoom.has(id)) this.dropPeer(id);
    for (const id of inRoom) if (!this.peers.has(id) && offersTo(r.me, id)) void this.makeOffer(id, false);
  }

  private send(to: string, body: ConferenceSignalBody): Promise<void> {
    if (!this.sender) return Promise.resolve();
    const payload = this.sender.seal(to, body);
    const next = (this.sendChains.get(to) ?? Promise.resolve()).then(() =>
      api<unknown>('/api/conferences/room/signal', { body: { to, payload }, headers: this.headers }).then(
        () => undefined,
        () => undefined,
      ),
    );
    this.sendChains.set(to, next);
    return next;
  }

  private async onSignal(from: string, sealed: string) {
    const r = this.receiver?.open(from, sealed);
    if (!r || !r.ok) {
      this.set({ rejected: this.state.rejected + 1 });
      return;
    }
    const body = r.msg.body;
    try {
      if (body.type === 'offer') await this.onOffer(from, body.sdp);
      else if (body.type === 'answer') await this.onAnswer(from, body.sdp);
      else if (body.type === 'candidate') await this.onCandidate(from, body.candidate);
      else if (body.type === 'hello' && offersTo(this.state.me!, from)) await this.makeOffer(from, this.peers.has(from));
      else if (body.type === 'media') this.setPeer(from, { camera: body.camera, microphone: body.microphone, screen: body.screen });
      else if (body.type === 'mute' && this.state.people.find((p) => p.id === from)?.isHost) {
        this.setMicrophone(false);
        this.set({ mutedByHost: true });
      }
    } catch {
      // A message that does not fit the connection's state; the next offer recovers.
    }
  }

  private newPeer(id: string, offering: boolean): Peer {
    this.dropPeer(id);
    const pc = new RTCPeerConnection({ iceServers: this.o.ice.iceServers, iceTransportPolicy: this.o.ice.iceTransportPolicy });
    // Both sides open the same negotiated channel, so neither waits for the other's.
    const channel = pc.createDataChannel('konsil', { negotiated: true, id: 0 });
    const peer: Peer = { id, pc, channel, remote: new MediaStream(), pending: [], restartTimer: null, lastLoss: { lost: 0, received: 0 } };
    this.peers.set(id, peer);
    // The offering side opens one audio and one video line, whether or not a
    // camera is there yet, so the other side can always send and receive; the
    // answering side takes the lines of the offer (attachTracks after it).
    if (offering) {
      for (const kind of ['audio', 'video'] as const) pc.addTransceiver(this.track(kind) ?? kind, { direction: 'sendrecv', streams: [this.local] });
    }
    pc.onicecandidate = (ev) => void this.send(id, { type: 'candidate', candidate: ev.candidate ? ev.candidate.toJSON() : null });
    pc.ontrack = (ev) => {
      if (!peer.remote.getTracks().includes(ev.track)) peer.remote.addTrack(ev.track);
      this.o.onRemoteStream(id, peer.remote);
    };
    channel.onopen = () => {
      if (this.state.hand) this.sendData(peer, { t: 'hand', up: true });
    };
    channel.onmessage = (ev) => this.onData(id, ev.data);
    pc.onconnectionstatechange = () => {
      if (this.peers.get(id) !== peer) return;
      const st = pc.connectionState;
      this.setPeer(id, { media: st });
      if (st === 'connected') {
        if (peer.restartTimer) clearTimeout(peer.restartTimer);
        peer.restartTimer = null;
        void this.send(id, { type: 'media', ...this.localMedia });
      }
      if (st === 'disconnected' || st === 'failed') this.scheduleRestart(peer, st === 'failed' ? 0 : 2000);
    };
    this.setPeer(id, { media: 'new' });
    return peer;
  }

  /** On a broken path the offering side restarts ICE, the other asks it to; again until it holds. */
  private scheduleRestart(peer: Peer, afterMs: number) {
    if (peer.restartTimer || this.closed) return;
    peer.restartTimer = setTimeout(() => {
      peer.restartTimer = null;
      if (this.peers.get(peer.id) !== peer) return;
      const st = peer.pc.connectionState;
      if (st !== 'disconnected' && st !== 'failed') return;
      if (offersTo(this.state.me!, peer.id)) void this.makeOffer(peer.id, true);
      else void this.send(peer.id, { type: 'hello' });
      this.scheduleRestart(peer, 5000);
    }, afterMs);
  }

  private async makeOffer(id: string, restart: boolean) {
    if (this.closed) return;
    const existing = this.peers.get(id);
    const peer = restart && existing ? existing : this.newPeer(id, true);
    const offer = await peer.pc.createOffer(restart ? { iceRestart: true } : {});
    await peer.pc.setLocalDescription(offer);
    await this.send(id, { type: 'offer', sdp: peer.pc.localDescription!.sdp, restart });
  }

  private async onOffer(from: string, sdp: string) {
    if (!this.state.people.some((p) => p.id === from && p.state === 'admitted')) return;
    let peer = this.peers.get(from);
    if (!peer || peer.pc.signalingState === 'closed') peer = this.newPeer(from, false);
    else if (peer.pc.signalingState !== 'stable') await peer.pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
    try {
      await peer.pc.setRemoteDescription({ type: 'offer', sdp });
    } catch {
      peer = this.newPeer(from, false);
      await peer.pc.setRemoteDescription({ type: 'offer', sdp });
    }
    this.attachTracks(peer.pc);
    await this.flush(peer);
    const answer = await peer.pc.createAnswer();
    await peer.pc.setLocalDescription(answer);
    await this.send(from, { type: 'answer', sdp: peer.pc.localDescription!.sdp });
  }

  private async onAnswer(from: string, sdp: string) {
    const peer = this.peers.get(from);
    if (!peer || peer.pc.signalingState !== 'have-local-offer') return;
    await peer.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.flush(peer);
  }

  private async onCandidate(from: string, c: RTCIceCandidateInit | null) {
    const peer = this.peers.get(from);
    if (!c || !peer) return;
    if (!peer.pc.remoteDescription) {
      peer.pending.push(c);
      return;
    }
    await peer.pc.addIceCandidate(c).catch(() => {});
  }

  private async flush(peer: Peer) {
    const list = peer.pending;
    peer.pending = [];
    for (const c of list) await peer.pc.addIceCandidate(c).catch(() => {});
  }

  private dropPeer(id: string) {
    const peer = this.peers.get(id);
    if (peer) {
      if (peer.restartTimer) clearTimeout(peer.restartTimer);
      peer.pc.onconnectionstatechange = null;
      peer.pc.onicecandidate = null;
      peer.pc.ontrack = null;
      peer.channel.onmessage = null;
      peer.pc.close();
      this.peers.delete(id);
      this.sendChains.delete(id);
      this.o.onRemoteStream(id, null);
    }
    this.lkLoss.delete(id);
    if (this.state.peers[id]) {
      const { [id]: _gone, ...rest } = this.state.peers;
      this.set({ peers: rest, speaker: this.state.speaker === id ? null : this.state.speaker });
    }
  }

  // -------------------------------------------------------------------------
  // LiveKit path

  /** Loads livekit-client (only now, only here) and joins the media room. */
  private async startLivekit(me: string) {
    if (this.lk || this.lkLoading || this.closed) return;
    this.lkLoading = true;
    this.set({ livekit: 'connecting' });
    try {
      const { LivekitMedia } = await import('./conference-livekit');
      if (this.closed) return;
      this.lk = new LivekitMedia(
        {
          conferenceId: this.o.conferenceId,
          key: this.o.key,
          me,
          fetchToken: () => api<{ url: string; token: string }>('/api/conferences/room/livekit', { body: {}, headers: this.headers }),
          onStatus: (livekit) => this.set({ livekit }),
          onRemoteStream: (id, s) => this.o.onRemoteStream(id, s),
          onPresence: (id, here) => {
            if (!here) return this.dropPeer(id);
            this.setPeer(id, { media: 'connected' });
            void this.send(id, { type: 'media', ...this.localMedia });
            if (this.state.hand) this.lk?.send({ t: 'hand', up: true });
          },
          onData: (from, m) => this.onMessage(from, m),
          onRejected: () => this.set({ rejected: this.state.rejected + 1 }),
        },
        this.local,
      );
      if (this.screenTrack) this.lk.setScreen(this.screenTrack);
      await this.lk.connect();
    } catch {
      // The SDK could not be loaded (an old browser, a lost connection during the download).
      this.set({ livekit: 'unreachable' });
    } finally {
      this.lkLoading = false;
    }
  }

  /** The user's retry when the LiveKit server could not be reached. */
  retryMedia() {
    if (this.lk) this.lk.retry();
    else if (this.state.me) void this.startLivekit(this.state.me);
  }

  /** Whoever this browser exchanges media with: mesh peers, or the others in the LiveKit room. */
  private others(): string[] {
    return this.lk ? this.lk.present : [...this.peers.keys()];
  }

  // -------------------------------------------------------------------------
  // Chat and raised hands: over each mesh connection's data channel, or sealed
  // under K through the LiveKit room.

  private sendData(peer: Peer, m: DataMessage) {
    if (peer.channel.readyState === 'open') peer.channel.send(JSON.stringify(m));
  }

  private onData(from: string, raw: unknown) {
    if (typeof raw !== 'string' || raw.length > MAX_CHAT_LENGTH * 4) return;
    let m: DataMessage;
    try {
      m = JSON.parse(raw) as DataMessage;
    } catch {
      return;
    }
    this.onMessage(from, m);
  }

  private onMessage(from: string, m: DataMessage) {
    // Someone the room state no longer lists (removed, gone) is not heard, even if the media server still lets them in.
    if (!this.state.people.some((p) => p.id === from && p.state === 'admitted')) return;
    if (m.t === 'chat' && typeof m.text === 'string' && typeof m.id === 'string') {
      if (this.state.chat.some((c) => c.id === m.id)) return;
      const name = this.state.people.find((p) => p.id === from)?.name ?? '?';
      this.set({ chat: [...this.state.chat, { id: m.id, from, name, text: m.text.slice(0, MAX_CHAT_LENGTH), at: Date.now(), mine: false }].slice(-200) });
    } else if (m.t === 'hand') this.setPeer(from, { hand: !!m.up });
  }

  /** Sends a chat message to everyone in the room; false if nobody is connected to receive it. */
  sendChat(text: string): boolean {
    const t = text.trim().slice(0, MAX_CHAT_LENGTH);
    if (!t) return false;
    const m: DataMessage = { t: 'chat', id: crypto.randomUUID(), text: t };
    let sent = this.lk?.send(m) ? 1 : 0;
    for (const p of this.peers.values()) {
      if (p.channel.readyState === 'open') {
        p.channel.send(JSON.stringify(m));
        sent++;
      }
    }
    const me = this.state.people.find((p) => p.me);
    this.set({ chat: [...this.state.chat, { id: m.id, from: this.state.me ?? '', name: me?.name ?? '', text: t, at: Date.now(), mine: true }].slice(-200) });
    return sent > 0;
  }

  raiseHand(up: boolean) {
    this.set({ hand: up });
    for (const p of this.peers.values()) this.sendData(p, { t: 'hand', up });
    this.lk?.send({ t: 'hand', up });
  }

  // -------------------------------------------------------------------------
  // Own media

  private announceMedia() {
    this.set({ own: { ...this.localMedia } });
    for (const id of this.others()) void this.send(id, { type: 'media', ...this.localMedia });
  }

  setMicrophone(on: boolean) {
    for (const t of this.local.getAudioTracks()) t.enabled = on;
    this.localMedia.microphone = on;
    if (on) this.set({ mutedByHost: false });
    this.announceMedia();
  }

  setCamera(on: boolean) {
    for (const t of this.local.getVideoTracks()) t.enabled = on;
    this.localMedia.camera = on;
    this.announceMedia();
  }

  get media() {
    return { ...this.localMedia };
  }

  /** Shares the screen in place of the camera to everyone; the browser's own "stop" ends it too. */
  async shareScreen(on: boolean): Promise<MediaStream | null> {
    if (on && !this.screenTrack) {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const track = display.getVideoTracks()[0];
      if (!track) return null;
      this.screenTrack = track;
      track.onended = () => void this.shareScreen(false);
      for (const p of this.peers.values()) this.attachTracks(p.pc);
      this.lk?.setScreen(track);
      this.localMedia.screen = true;
      this.announceMedia();
      return display;
    }
    if (!on && this.screenTrack) {
      this.screenTrack.stop();
      this.screenTrack = null;
      for (const p of this.peers.values()) this.attachTracks(p.pc);
      this.lk?.setScreen(null);
      this.localMedia.screen = false;
      this.announceMedia();
    }
    return null;
  }

  // -------------------------------------------------------------------------
  // Host's controls (the server checks the host for admit/remove/end; a mute is
  // a sealed request the muted browser honours only from the host)

  async admit(participantId: string) {
    await api('/api/conferences/room/admit', { body: { participantId }, headers: this.headers });
  }

  async remove(participantId: string) {
    await api('/api/conferences/room/remove', { body: { participantId }, headers: this.headers });
  }

  muteOther(participantId: string) {
    void this.send(participantId, { type: 'mute' });
  }

  async endForAll() {
    await api('/api/conferences/room/end', { body: {}, headers: this.headers });
    this.finish('ended');
  }

  private async sampleStats() {
    let loudest: { id: string; level: number } | null = null;
    const samples: { id: string; connected: boolean; sample: ReturnType<typeof readInbound>; last: { lost: number; received: number } }[] = [];
    if (this.lk) {
      for (const [id, sample] of await this.lk.sample()) samples.push({ id, connected: true, sample, last: this.lkLoss.get(id) ?? { lost: 0, received: 0 } });
    }
    for (const peer of this.peers.values()) {
      const report = await peer.pc.getStats().catch(() => null);
      if (report) samples.push({ id: peer.id, connected: peer.pc.connectionState === 'connected', sample: readInbound([report]), last: peer.lastLoss });
    }
    for (const { id, connected, sample, last } of samples) {
      const now = { lost: sample.lost, received: sample.received };
      const peer = this.peers.get(id);
      if (peer) peer.lastLoss = now;
      else this.lkLoss.set(id, now);
      const ratio = lossSince(last, now);
      const speaking = (this.state.peers[id]?.microphone ?? true) && sample.level > SPEAKING_LEVEL;
      if (speaking && (!loudest || sample.level > loudest.level)) loudest = { id, level: sample.level };
      this.setPeer(id, { framesDecoded: sample.frames, audioPackets: sample.audio, audioLevel: sample.level, quality: connected ? rateQuality(sample.rtt, ratio) : 'unknown' });
    }
    const speaker = (loudest as { id: string } | null)?.id ?? null;
    if (speaker !== this.state.speaker) this.set({ speaker });
  }

  private finish(phase: ConferencePhase, tell = true) {
    if (this.closed) return;
    this.closed = true;
    this.sse?.close();
    for (const peer of [...this.peers.values()]) {
      peer.pc.close();
      if (peer.restartTimer) clearTimeout(peer.restartTimer);
    }
    this.peers.clear();
    this.lk?.close();
    this.lk = null;
    this.screenTrack?.stop();
    this.screenTrack = null;
    if (this.statsTimer) clearInterval(this.statsTimer);
    window.removeEventListener('pagehide', this.onPageHide);
    if (tell) this.set({ phase, peers: {}, speaker: null });
  }

  /** Leave the room (the others stay). */
  async leave() {
    if (this.closed) return;
    await api('/api/conferences/room/leave', { body: {}, headers: this.headers }).catch(() => {});
    this.finish('gone');
  }

  /** Close without telling anyone or changing the view (the component unmounts). */
  dispose() {
    const wasIn = !this.closed;
    this.finish(this.state.phase, false);
    // Leaving the page inside the app leaves the room, unless the same room starts again at once (a remount).
    if (wasIn) this.leaveTimer = setTimeout(() => void api('/api/conferences/room/leave', { body: {}, headers: this.headers, keepalive: true }).catch(() => {}), 0);
  }
}
