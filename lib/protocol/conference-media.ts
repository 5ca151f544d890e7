// Conferences over a LiveKit server (docs/SECURITY.md §3.8b): the keys and
// sealed messages of the media path. Pure and isomorphic.
//
// The LiveKit server forwards the media frames and the data packets of a
// room. Frames are encrypted in the browsers (livekit-client's E2EE, AES-GCM
// per frame) under a key derived here from the conference key K, so K itself
// never leaves the page and the frame key is useless for anything else. Chat
// and raised hands are sealed under K and bound to the conference and to the
// sender the LiveKit server names, so it can neither read them nor pass one
// participant's message off as another's.
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8Encode } from '@/lib/crypto/encoding';
import { decryptJson, encryptJson, type AdContext } from '@/lib/crypto/envelope';
import { CryptoError } from '@/lib/crypto/types';

const MEDIA_SALT = utf8Encode('konsil/v1/conference-media');

/** The secret handed to livekit-client's key provider: one per conference, never K itself. */
export function conferenceMediaKey(key: Uint8Array, conferenceId: string): Uint8Array {
  if (key.length !== 32) throw new CryptoError('bad_params', 'conference key must be 32 bytes');
  return hkdf(sha256, key, MEDIA_SALT, utf8Encode(`livekit-e2ee/${conferenceId}`), 32);
}

export const MAX_CHAT_LENGTH = 2000;

/** What participants send each other over the room's data channel. */
export type ConferenceData = { t: 'chat'; id: string; text: string } | { t: 'hand'; up: boolean };

/** Sealed messages older than this are refused, so the media server cannot replay one into a later meeting. */
export const CONFERENCE_DATA_MAX_AGE_MS = 10 * 60_000;

const dataAd = (conferenceId: string, from: string): AdContext => ({ table: 'conference_data', row: conferenceId, org: from, field: 'room' });

export function sealConferenceData(key: Uint8Array, conferenceId: string, from: string, m: ConferenceData, at = Date.now()): string {
  return encryptJson(key, { ...m, from, ts: at }, dataAd(conferenceId, from));
}

/**
 * Opens a message the media server says `from` sent: only under K, only for
 * this conference and that sender, only fresh and well-formed; else null.
 */
export function openConferenceData(key: Uint8Array, conferenceId: string, from: string, sealed: string, at = Date.now()): ConferenceData | null {
  let m: Record<string, unknown>;
  try {
    m = decryptJson<Record<string, unknown>>(key, sealed, dataAd(conferenceId, from));
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null || m.from !== from) return null;
  if (typeof m.ts !== 'number' || Math.abs(at - m.ts) > CONFERENCE_DATA_MAX_AGE_MS) return null;
  if (m.t === 'chat' && typeof m.id === 'string' && m.id.length <= 64 && typeof m.text === 'string') return { t: 'chat', id: m.id, text: m.text.slice(0, MAX_CHAT_LENGTH) };
  if (m.t === 'hand' && typeof m.up === 'boolean') return { t: 'hand', up: m.up };
  return null;
}
