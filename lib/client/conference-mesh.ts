// A conference's media without a media server: one RTCPeerConnection to every
// other participant in the room. For each pair the participant whose id sorts
// first offers (offersTo). The offers, answers and candidates travel through
// the controller's sealed signalling, so the DTLS fingerprints are
// authenticated under the conference key and the relay cannot put itself into
// the media path. Chat and raised hands go over a negotiated data channel of
// each connection and never pass the server.
import { offersTo, type ConferenceSignalBody } from '@/lib/protocol/conference';
import { MAX_CHAT_LENGTH, type ConferenceData } from '@/lib/protocol/conference-media';
import type { IceSetup } from './peer-link';
import { readInbound, type InboundSample } from './rtc-stats';

/** What the mesh sends through the controller's sealed signalling. */
export type MeshSignal = Extract<ConferenceSignalBody, { type: 'offer' | 'answer' | 'candidate' | 'hello' }>;

export type MeshOptions = {
  ice: IceSetup;
  /** This browser's participant id (known once the room state arrived). */
  me: () => string;
  /** Whether the room state lists this participant as admitted: offers from anyone else are ignored. */
  admitted: (id: string) => boolean;
  /** The stream this browser sends, and its track of a kind (the shared screen before the camera). */
  local: () => MediaStream;
  track: (kind: 'audio' | 'video') => MediaStreamTrack | null;
  send: (to: string, body: MeshSignal) => Promise<void>;
  onRemoteStream: (id: string, s: MediaStream | null) => void;
  onConnection: (id: string, state: RTCPeerConnectionState) => void;
  /** A connection's data channel opened: the controller tells that peer what it must know (a raised hand). */
  onChannelOpen: (id: string) => void;
  onData: (from: string, m: ConferenceData) => void;
};

type Peer = {
  id: string;
  pc: RTCPeerConnection;
  channel: RTCDataChannel;
  remote: MediaStream;
  pending: RTCIceCandidateInit[];
  restartTimer: ReturnType<typeof setTimeout> | null;
};

/** How long a broken path waits before the first restart, and between further ones. */
const DISCONNECTED_RESTART_MS = 2000;
const RESTART_AGAIN_MS = 5000;

export class MeshMedia {
  private peers = new Map<string, Peer>();
  private closed = false;

  constructor(private readonly o: MeshOptions) {}

  get ids(): string[] {
    return [...this.peers.keys()];
  }

  has(id: string): boolean {
    return this.peers.has(id);
  }

  /** The room changed: connections to those gone are closed, and to newcomers this side offers to, offered. */
  sync(inRoom: Set<string>): string[] {
    const dropped = this.ids.filter((id) => !inRoom.has(id));
    for (const id of dropped) this.drop(id);
    for (const id of inRoom) if (!this.peers.has(id) && offersTo(this.o.me(), id)) void this.makeOffer(id, false);
    return dropped;
  }

  async onSignal(from: string, body: MeshSignal): Promise<void> {
    if (body.type === 'offer') await this.onOffer(from, body.sdp);
    else if (body.type === 'answer') await this.onAnswer(from, body.sdp);
    else if (body.type === 'candidate') await this.onCandidate(from, body.candidate);
    else if (body.type === 'hello' && offersTo(this.o.me(), from)) await this.makeOffer(from, this.peers.has(from));
  }

  /** Camera, microphone or screen changed: every connection sends the new tracks. */
  attachAll() {
    for (const p of this.peers.values()) this.attachTracks(p.pc);
  }

  /** Sends to every open data channel; the number it reached. */
  broadcast(m: ConferenceData): number {
    let sent = 0;
    for (const p of this.peers.values()) if (this.sendTo(p, m)) sent++;
    return sent;
  }

  async stats(): Promise<{ id: string; connected: boolean; sample: InboundSample }[]> {
    const out: { id: string; connected: boolean; sample: InboundSample }[] = [];
    for (const peer of this.peers.values()) {
      const report = await peer.pc.getStats().catch(() => null);
      if (report) out.push({ id: peer.id, connected: peer.pc.connectionState === 'connected', sample: readInbound([report]) });
    }
    return out;
  }

  drop(id: string) {
    const peer = this.peers.get(id);
    if (!peer) return;
    if (peer.restartTimer) clearTimeout(peer.restartTimer);
    peer.pc.onconnectionstatechange = null;
    peer.pc.onicecandidate = null;
    peer.pc.ontrack = null;
    peer.channel.onmessage = null;
    peer.pc.close();
    this.peers.delete(id);
    this.o.onRemoteStream(id, null);
  }

  close() {
    this.closed = true;
    for (const peer of [...this.peers.values()]) {
      if (peer.restartTimer) clearTimeout(peer.restartTimer);
      peer.pc.close();
    }
    this.peers.clear();
  }

  /** Every audio and video transceiver sends this browser's track of its kind (or nothing) and receives. */
  private attachTracks(pc: RTCPeerConnection) {
    for (const tr of pc.getTransceivers()) {
      const kind = tr.receiver.track.kind as 'audio' | 'video';
      if (kind !== 'audio' && kind !== 'video') continue;
      if (tr.currentDirection === 'stopped') continue;
      tr.direction = 'sendrecv';
      const track = this.o.track(kind);
      if (tr.sender.track !== track) void tr.sender.replaceTrack(track).catch(() => {});
      tr.sender.setStreams(this.o.local());
    }
  }

  private sendTo(peer: Peer, m: ConferenceData): boolean {
    if (peer.channel.readyState !== 'open') return false;
    peer.channel.send(JSON.stringify(m));
    return true;
  }

  private onData(from: string, raw: unknown) {
    if (typeof raw !== 'string' || raw.length > MAX_CHAT_LENGTH * 4) return;
    try {
      this.o.onData(from, JSON.parse(raw) as ConferenceData);
    } catch {
      // not JSON: ignored
    }
  }

  /** Sends to one peer's open data channel (a raised hand for someone who just connected). */
  sendToPeer(id: string, m: ConferenceData) {
    const peer = this.peers.get(id);
    if (peer) this.sendTo(peer, m);
  }

  private newPeer(id: string, offering: boolean): Peer {
    this.drop(id);
    const pc = new RTCPeerConnection({ iceServers: this.o.ice.iceServers, iceTransportPolicy: this.o.ice.iceTransportPolicy });
    // Both sides open the same negotiated channel, so neither waits for the other's.
    const channel = pc.createDataChannel('konsil', { negotiated: true, id: 0 });
    const peer: Peer = { id, pc, channel, remote: new MediaStream(), pending: [], restartTimer: null };
    this.peers.set(id, peer);
    // The offering side opens one audio and one video line, whether or not a
    // camera is there yet, so the other side can always send and receive; the
    // answering side takes the lines of the offer (attachTracks after it).
    if (offering) {
      for (const kind of ['audio', 'video'] as const) pc.addTransceiver(this.o.track(kind) ?? kind, { direction: 'sendrecv', streams: [this.o.local()] });
    }
    pc.onicecandidate = (ev) => void this.o.send(id, { type: 'candidate', candidate: ev.candidate ? ev.candidate.toJSON() : null });
    pc.ontrack = (ev) => {
      if (!peer.remote.getTracks().includes(ev.track)) peer.remote.addTrack(ev.track);
      this.o.onRemoteStream(id, peer.remote);
    };
    channel.onopen = () => this.o.onChannelOpen(id);
    channel.onmessage = (ev) => this.onData(id, ev.data);
    pc.onconnectionstatechange = () => {
      if (this.peers.get(id) !== peer) return;
      const st = pc.connectionState;
      if (st === 'connected' && peer.restartTimer) {
        clearTimeout(peer.restartTimer);
        peer.restartTimer = null;
      }
      this.o.onConnection(id, st);
      if (st === 'disconnected' || st === 'failed') this.scheduleRestart(peer, st === 'failed' ? 0 : DISCONNECTED_RESTART_MS);
    };
    this.o.onConnection(id, 'new');
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
      if (offersTo(this.o.me(), peer.id)) void this.makeOffer(peer.id, true);
      else void this.o.send(peer.id, { type: 'hello' });
      this.scheduleRestart(peer, RESTART_AGAIN_MS);
    }, afterMs);
  }

  private async makeOffer(id: string, restart: boolean) {
    if (this.closed) return;
    const existing = this.peers.get(id);
    const peer = restart && existing ? existing : this.newPeer(id, true);
    const offer = await peer.pc.createOffer(restart ? { iceRestart: true } : {});
    await peer.pc.setLocalDescription(offer);
    await this.o.send(id, { type: 'offer', sdp: peer.pc.localDescription!.sdp, restart });
  }

  private async onOffer(from: string, sdp: string) {
    if (!this.o.admitted(from)) return;
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
    await this.o.send(from, { type: 'answer', sdp: peer.pc.localDescription!.sdp });
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
}
