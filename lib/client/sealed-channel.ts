// The sealed signalling between the two browsers of a call (the consultation,
// a call between colleagues): every message sealed for the other side and
// posted to the relay in order, every message that arrives opened and checked
// before anything acts on it, and the own microphone, camera and screen, whose
// state the other side learns as a sealed 'media' message. Which envelope and
// which relay stays with the controller, so both protocols keep their own.
import type { SignalBody } from '@/lib/protocol/video';

/** What this side sends: the other side shows a muted microphone, a dark camera, a shared screen. */
export type MediaSignal = Extract<SignalBody, { type: 'media' }>;

type Options<B> = {
  /** Seals one message for the other side (it numbers them). */
  sender: { seal(body: B | MediaSignal): string };
  /** Opens one message from the other side, refusing what it did not seal. */
  receiver: { open(sealed: string): { ok: true; msg: { body: B } } | { ok: false } };
  /** Hands one sealed message to the relay. */
  post: (payload: string) => Promise<unknown>;
  /** A message from the other side; it may throw when it does not fit the connection's state. */
  onMessage: (body: B) => Promise<void> | void;
  /** How many messages did not open so far. */
  onRejected: (count: number) => void;
  /** The camera and microphone the toggles switch. */
  local: MediaStream;
};

export class SealedChannel<B> {
  private chain: Promise<void> = Promise.resolve();
  private rejected = 0;
  private readonly media = { camera: true, microphone: true, screen: false };

  constructor(private readonly o: Options<B>) {}

  /** Seals and posts; resolves once posted (a failed post is dropped: the next offer recovers). */
  send(body: B | MediaSignal): Promise<void> {
    const payload = this.o.sender.seal(body);
    // In order, one at a time: candidates must not overtake their offer.
    this.chain = this.chain.then(() =>
      this.o.post(payload).then(
        () => undefined,
        () => undefined,
      ),
    );
    return this.chain;
  }

  async receive(sealed: string) {
    const r = this.o.receiver.open(sealed);
    if (!r.ok) {
      // Not from the other browser: whoever relayed it does not hold the key.
      this.o.onRejected(++this.rejected);
      return;
    }
    try {
      await this.o.onMessage(r.msg.body);
    } catch {
      // A message that does not fit the connection's state; the next offer recovers.
    }
  }

  /** Tells the other side what this side sends (again after each new connection). */
  announceMedia(): Promise<void> {
    return this.send({ type: 'media', ...this.media });
  }

  setMicrophone(on: boolean) {
    for (const t of this.o.local.getAudioTracks()) t.enabled = on;
    this.media.microphone = on;
    void this.announceMedia();
  }

  setCamera(on: boolean) {
    for (const t of this.o.local.getVideoTracks()) t.enabled = on;
    this.media.camera = on;
    void this.announceMedia();
  }

  /** The screen replaces the camera's picture; the caller swaps the track. */
  setScreen(on: boolean) {
    this.media.screen = on;
    void this.announceMedia();
  }
}
