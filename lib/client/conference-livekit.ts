// The media path of a conference through a LiveKit server, end-to-end
// encrypted. Loaded on demand (lib/client/conference.ts imports it only when
// the server says the conference runs on LiveKit), so livekit-client stays out
// of every other page.
//
// The LiveKit server forwards frames it cannot decrypt: livekit-client
// encrypts each frame in a worker under a key derived from the conference key
// K (conferenceMediaKey), and the key provider holds only that derived key as
// a non-extractable CryptoKey. Chat and raised hands travel as LiveKit data,
// sealed under K and bound to conference and sender (sealConferenceData). The
// room knows participants by their participant ids only; names stay with
// Konsil's sealed room state.
import {
  ConnectionState,
  DisconnectReason,
  ExternalE2EEKeyProvider,
  Room,
  RoomEvent,
  Track,
  type LocalTrackPublication,
  type RemoteParticipant,
} from 'livekit-client';
import { utf8Decode, utf8Encode } from '@/lib/crypto/encoding';
import { conferenceMediaKey, openConferenceData, sealConferenceData, type ConferenceData } from '@/lib/protocol/conference-media';
import { readInbound, type InboundSample } from './rtc-stats';

export type LivekitStatus = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

export type LivekitOptions = {
  conferenceId: string;
  key: Uint8Array;
  me: string;
  /** A fresh join token from Konsil's server (POST /api/conferences/room/livekit); it lives ten minutes. */
  fetchToken: () => Promise<{ url: string; token: string }>;
  onStatus: (s: LivekitStatus) => void;
  onRemoteStream: (id: string, s: MediaStream | null) => void;
  /** A participant's media arrived in the room (true) or left it (false). */
  onPresence: (id: string, here: boolean) => void;
  onData: (from: string, m: ConferenceData) => void;
  /** Data that did not open under K for the sender the server named. */
  onRejected: () => void;
};

const TOPIC = 'konsil';
/** After an unexpected disconnect: new token, new connection, this long apart; then give up and offer the retry. */
const RECONNECT_DELAYS_MS = [1000, 3000, 8000];

export class LivekitMedia {
  private room: Room | null = null;
  private closed = false;
  private local: MediaStream;
  private screen: MediaStreamTrack | null = null;
  private published = new Map<string, LocalTrackPublication>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private worker: Worker | null = null;

  constructor(
    private readonly o: LivekitOptions,
    local: MediaStream,
  ) {
    this.local = local;
  }

  /** Connects (again) with a new token; status 'unreachable' when the server cannot be reached. */
  async connect(): Promise<void> {
    if (this.closed) return;
    this.o.onStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    this.teardownRoom();
    try {
      const { url, token } = await this.o.fetchToken();
      if (this.closed) return;
      const room = await this.newRoom();
      this.room = room;
      await room.connect(url, token, { autoSubscribe: true, maxRetries: 1, websocketTimeout: 10_000, peerConnectionTimeout: 15_000 });
      if (this.closed || this.room !== room) return;
      this.attempt = 0;
      this.o.onStatus('connected');
      for (const p of room.remoteParticipants.values()) this.onJoined(p);
      await this.publishAll();
    } catch {
      if (this.closed) return;
      this.teardownRoom();
      // A first connection that fails is said at once (with the retry); a lost one is tried again first.
      if (this.attempt > 0) this.scheduleReconnect();
      else this.o.onStatus('unreachable');
    }
  }

  /** A room whose frames are encrypted under the derived key before anything is published. */
  private async newRoom(): Promise<Room> {
    const keyProvider = new ExternalE2EEKeyProvider();
    const mediaKey = conferenceMediaKey(this.o.key, this.o.conferenceId);
    // An ArrayBuffer makes the provider import it for HKDF (a string would be a PBKDF2 passphrase).
    await keyProvider.setKey(mediaKey.slice().buffer);
    mediaKey.fill(0);
    this.worker?.terminate();
    this.worker = new Worker(new URL('livekit-client/e2ee-worker', import.meta.url));
    // The page owns camera and microphone: unpublishing on a reconnect must not stop them.
    const room = new Room({ encryption: { keyProvider, worker: this.worker }, stopLocalTrackOnUnpublish: false, adaptiveStream: true, dynacast: true, disconnectOnPageLeave: true });
    await room.setE2EEEnabled(true);
    room
      .on(RoomEvent.ParticipantConnected, (p) => this.onJoined(p))
      .on(RoomEvent.ParticipantDisconnected, (p) => this.onLeft(p.identity))
      .on(RoomEvent.TrackSubscribed, (_t, _pub, p) => this.emitStream(p))
      .on(RoomEvent.TrackUnsubscribed, (_t, _pub, p) => this.emitStream(p))
      .on(RoomEvent.DataReceived, (payload, p, _kind, topic) => this.onData(payload, p?.identity, topic))
      .on(RoomEvent.Reconnecting, () => this.o.onStatus('reconnecting'))
      .on(RoomEvent.Reconnected, () => this.o.onStatus('connected'))
      .on(RoomEvent.Disconnected, (reason) => this.onDisconnected(room, reason));
    return room;
  }

  private onJoined(p: RemoteParticipant) {
    this.o.onPresence(p.identity, true);
    this.emitStream(p);
  }

  private onLeft(id: string) {
    this.o.onRemoteStream(id, null);
    this.o.onPresence(id, false);
  }

  /** Audio, and the shared screen before the camera: the tile shows one picture per participant. */
  private emitStream(p: RemoteParticipant) {
    const pick = (source: Track.Source) => p.getTrackPublication(source)?.track?.mediaStreamTrack ?? null;
    const tracks = [pick(Track.Source.Microphone), pick(Track.Source.ScreenShare) ?? pick(Track.Source.Camera)].filter((t): t is MediaStreamTrack => !!t);
    this.o.onRemoteStream(p.identity, tracks.length ? new MediaStream(tracks) : null);
  }

  private onData(payload: Uint8Array, from: string | undefined, topic: string | undefined) {
    if (!from || topic !== TOPIC || payload.length > 16_384) return;
    let sealed: string;
    try {
      sealed = utf8Decode(payload);
    } catch {
      return this.o.onRejected();
    }
    const m = openConferenceData(this.o.key, this.o.conferenceId, from, sealed);
    if (m) this.o.onData(from, m);
    else this.o.onRejected();
  }

  private onDisconnected(room: Room, reason: DisconnectReason | undefined) {
    if (this.closed || this.room !== room) return;
    for (const p of room.remoteParticipants.values()) this.onLeft(p.identity);
    // Another tab of the same participant took over: this one stays quiet.
    if (reason === DisconnectReason.DUPLICATE_IDENTITY || reason === DisconnectReason.CLIENT_INITIATED) return;
    this.room = null;
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    const delay = RECONNECT_DELAYS_MS[this.attempt];
    if (delay === undefined) {
      this.attempt = 0;
      this.o.onStatus('unreachable');
      return;
    }
    this.attempt++;
    this.o.onStatus('reconnecting');
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  /** The user's retry after 'unreachable'. */
  retry() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    void this.connect();
  }

  private wanted(): Map<string, { track: MediaStreamTrack; source: Track.Source }> {
    const m = new Map<string, { track: MediaStreamTrack; source: Track.Source }>();
    const mic = this.local.getAudioTracks()[0];
    const cam = this.local.getVideoTracks()[0];
    if (mic) m.set(Track.Source.Microphone, { track: mic, source: Track.Source.Microphone });
    if (cam) m.set(Track.Source.Camera, { track: cam, source: Track.Source.Camera });
    if (this.screen) m.set(Track.Source.ScreenShare, { track: this.screen, source: Track.Source.ScreenShare });
    return m;
  }

  /** Publishes what the page has (camera, microphone, screen) and withdraws what it no longer has. */
  private async publishAll() {
    const room = this.room;
    if (!room || room.state !== ConnectionState.Connected) return;
    const want = this.wanted();
    for (const [source, pub] of [...this.published]) {
      if (want.get(source)?.track === pub.track?.mediaStreamTrack) continue;
      this.published.delete(source);
      if (pub.track) await room.localParticipant.unpublishTrack(pub.track, false).catch(() => undefined);
    }
    for (const [source, w] of want) {
      if (this.published.has(source)) continue;
      const pub = await room.localParticipant.publishTrack(w.track, { source: w.source }).catch(() => null);
      if (pub && this.room === room) this.published.set(source, pub);
    }
  }

  setLocal(stream: MediaStream) {
    this.local = stream;
    void this.publishAll();
  }

  setScreen(track: MediaStreamTrack | null) {
    this.screen = track;
    void this.publishAll();
  }

  /** Sends a sealed message to everyone in the room; false when nobody is there to receive it. */
  send(m: ConferenceData): boolean {
    const room = this.room;
    if (!room || room.state !== ConnectionState.Connected || !room.localParticipant.identity) return false;
    const sealed = sealConferenceData(this.o.key, this.o.conferenceId, room.localParticipant.identity, m);
    void room.localParticipant.publishData(new Uint8Array(utf8Encode(sealed)), { reliable: true, topic: TOPIC }).catch(() => undefined);
    return room.remoteParticipants.size > 0;
  }

  /** Incoming media per participant, for the tiles. */
  async sample(): Promise<Map<string, InboundSample>> {
    const out = new Map<string, InboundSample>();
    const room = this.room;
    if (!room) return out;
    for (const p of room.remoteParticipants.values()) {
      const reports = await Promise.all([...p.trackPublications.values()].map((pub) => pub.track?.getRTCStatsReport().catch(() => undefined)));
      out.set(
        p.identity,
        readInbound(reports.filter((r): r is RTCStatsReport => !!r)),
      );
    }
    return out;
  }

  /** Who is in the media room now. */
  get present(): string[] {
    return this.room ? [...this.room.remoteParticipants.keys()] : [];
  }

  private teardownRoom() {
    const room = this.room;
    this.room = null;
    this.published.clear();
    if (room) {
      room.removeAllListeners();
      void room.disconnect(true).catch(() => undefined);
    }
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.teardownRoom();
    this.worker?.terminate();
    this.worker = null;
  }
}
