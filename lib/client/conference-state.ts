// What a conference looks like to its page: phase, people, each peer's tile,
// chat, own media and the media path — the state ConferenceController keeps
// and the components show — and the room event it is made from.
import { openGuestName } from '@/lib/protocol/conference';
import type { Quality } from './rtc-stats';
import type { LivekitStatus } from './conference-livekit';

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

/** The room as the server's event stream sends it: ids, states, members' short names, guests' sealed names. */
export type RoomStateEvent = {
  me: string;
  myState: 'waiting' | 'admitted';
  state: string;
  participants: { id: string; state: 'waiting' | 'admitted'; userId: string | null; shortName: string | null; nameEnc: string | null; isHost: boolean; guest: boolean }[];
};

/** Who is there, with guests' names opened under the conference key ('?' for one that does not open). */
export function peopleOf(r: RoomStateEvent, key: Uint8Array, conferenceId: string): ConferencePerson[] {
  return r.participants.map((p) => ({
    id: p.id,
    name: p.guest ? (openGuestName(key, conferenceId, p.nameEnc) ?? '?') : (p.shortName ?? '?'),
    guest: p.guest,
    isHost: p.isHost,
    state: p.state,
    me: p.id === r.me,
  }));
}
