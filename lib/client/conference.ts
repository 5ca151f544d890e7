// The browser side of a conference: who is in the lobby and the room (the
// server's event stream), signalling relayed by the server as envelopes under
// the conference key (lib/protocol/conference.ts), chat, raised hands, own
// media and the host's controls. The media travel either browser to browser
// (lib/client/conference-mesh.ts) or, when the server has a LiveKit server
// configured, through it (lib/client/conference-livekit.ts, loaded only then);
// lobby, admission, removal, the host's mute and the end stay on this
// signalling either way.
import { ConferenceSignalReceiver, ConferenceSignalSender, type ConferenceSignalBody } from '@/lib/protocol/conference';
import { api } from '@/lib/client/api';
import { openEventStream, type SseHandle } from '@/lib/client/sse';
import type { IceSetup } from '@/lib/client/peer-link';
import { MAX_CHAT_LENGTH, type ConferenceData } from '@/lib/protocol/conference-media';
import { lossSince, rateQuality, type InboundSample } from './rtc-stats';
import type { LivekitMedia } from './conference-livekit';
import { peopleOf, type ConferencePhase, type ConferenceState, type MediaPath, type PeerView, type RoomStateEvent } from './conference-state';
import { MeshMedia } from './conference-mesh';

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

const EMPTY_PEER: PeerView = { media: 'new', camera: true, microphone: true, screen: false, hand: false, audioLevel: 0, framesDecoded: 0, audioPackets: 0, quality: 'unknown' };
const SPEAKING_LEVEL = 0.02;

export class ConferenceController {
  private state: ConferenceState;
  private sse: SseHandle | null = null;
  private mesh: MeshMedia;
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
  /** Packet counts at the last sample, per participant (for the loss since). */
  private loss = new Map<string, { lost: number; received: number }>();

  constructor(private readonly o: Options) {
    this.local = o.local;
    this.mesh = this.newMesh();
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
    this.mesh.attachAll();
    this.lk?.setLocal(stream);
  }

  private newMesh(): MeshMedia {
    return new MeshMedia({
      ice: this.o.ice,
      me: () => this.state.me ?? '',
      admitted: (id) => this.state.people.some((p) => p.id === id && p.state === 'admitted'),
      local: () => this.local,
      track: (kind) => this.track(kind),
      send: (to, body) => this.send(to, body),
      onRemoteStream: (id, s) => this.o.onRemoteStream(id, s),
      onConnection: (id, media) => {
        this.setPeer(id, { media });
        if (media === 'connected') void this.send(id, { type: 'media', ...this.localMedia });
      },
      onChannelOpen: (id) => {
        if (this.state.hand) this.mesh.sendToPeer(id, { t: 'hand', up: true });
      },
      onData: (from, m) => this.onMessage(from, m),
    });
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
    this.mesh = this.newMesh();
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
    const people = peopleOf(r, this.o.key, this.o.conferenceId);
    const mine = people.find((p) => p.me);
    this.set({ me: r.me, isHost: !!mine?.isHost, people, phase: r.myState === 'admitted' ? 'in' : 'lobby' });
    if (r.myState !== 'admitted') return;
    if (this.o.media === 'livekit') return void this.startLivekit(r.me);
    const inRoom = new Set(people.filter((p) => p.state === 'admitted' && !p.me).map((p) => p.id));
    for (const id of this.mesh.sync(inRoom)) this.dropPeer(id);
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
      if (body.type === 'offer' || body.type === 'answer' || body.type === 'candidate' || body.type === 'hello') await this.mesh.onSignal(from, body);
      else if (body.type === 'media') this.setPeer(from, { camera: body.camera, microphone: body.microphone, screen: body.screen });
      else if (body.type === 'mute' && this.state.people.find((p) => p.id === from)?.isHost) {
        this.setMicrophone(false);
        this.set({ mutedByHost: true });
      }
    } catch {
      // A message that does not fit the connection's state; the next offer recovers.
    }
  }

  /** Someone left the room (or the media room): their connection, queue, figures and tile go. */
  private dropPeer(id: string) {
    this.mesh.drop(id);
    this.sendChains.delete(id);
    this.loss.delete(id);
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
    return this.lk ? this.lk.present : this.mesh.ids;
  }

  // -------------------------------------------------------------------------
  // Chat and raised hands: over each mesh connection's data channel, or sealed
  // under K through the LiveKit room.

  private onMessage(from: string, m: ConferenceData) {
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
    const m: ConferenceData = { t: 'chat', id: crypto.randomUUID(), text: t };
    const sent = (this.lk?.send(m) ? 1 : 0) + this.mesh.broadcast(m);
    const me = this.state.people.find((p) => p.me);
    this.set({ chat: [...this.state.chat, { id: m.id, from: this.state.me ?? '', name: me?.name ?? '', text: t, at: Date.now(), mine: true }].slice(-200) });
    return sent > 0;
  }

  raiseHand(up: boolean) {
    this.set({ hand: up });
    this.mesh.broadcast({ t: 'hand', up });
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
      this.mesh.attachAll();
      this.lk?.setScreen(track);
      this.localMedia.screen = true;
      this.announceMedia();
      return display;
    }
    if (!on && this.screenTrack) {
      this.screenTrack.stop();
      this.screenTrack = null;
      this.mesh.attachAll();
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
    const samples: { id: string; connected: boolean; sample: InboundSample }[] = await this.mesh.stats();
    if (this.lk) for (const [id, sample] of await this.lk.sample()) samples.push({ id, connected: true, sample });
    for (const { id, connected, sample } of samples) {
      const now = { lost: sample.lost, received: sample.received };
      const ratio = lossSince(this.loss.get(id) ?? { lost: 0, received: 0 }, now);
      this.loss.set(id, now);
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
    this.mesh.close();
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
