import { describe, expect, it } from 'vitest';
import { randomBytes } from '@/lib/crypto/random';
import { SignalReceiver, SignalSender, type SignalBody } from '@/lib/protocol/video';
import { SealedChannel } from './sealed-channel';

const track = () => ({ enabled: true });

/** A host's channel, the patient's receiver, and a relay whose posts resolve only when told. */
function setUp(onMessage: (body: SignalBody) => Promise<void> | void = () => {}) {
  const key = randomBytes(32);
  const audio = [track()];
  const video = [track()];
  const local = { getAudioTracks: () => audio, getVideoTracks: () => video } as unknown as MediaStream;
  const relay: { payload: string; done: () => void }[] = [];
  const rejected: number[] = [];
  const channel = new SealedChannel<SignalBody>({
    sender: new SignalSender(key, 'appt', 'host'),
    receiver: new SignalReceiver(key, 'appt', 'host'),
    post: (payload) => new Promise<void>((done) => relay.push({ payload, done })),
    onMessage,
    onRejected: (n) => rejected.push(n),
    local,
  });
  const patient = { sender: new SignalSender(key, 'appt', 'patient'), receiver: new SignalReceiver(key, 'appt', 'patient') };
  const opened = (i: number) => {
    const r = patient.receiver.open(relay[i]!.payload);
    return r.ok ? r.msg.body : null;
  };
  return { channel, relay, rejected, patient, opened, audio, video };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('SealedChannel', () => {
  it('posts one sealed message at a time, in the order sent', async () => {
    const t = setUp();
    const first = t.channel.send({ type: 'offer', sdp: 'v=0', restart: false });
    void t.channel.send({ type: 'candidate', candidate: null });
    await settle();
    expect(t.relay).toHaveLength(1);
    t.relay[0]!.done();
    await first;
    await settle();
    expect(t.relay).toHaveLength(2);
    expect([t.opened(0)?.type, t.opened(1)?.type]).toEqual(['offer', 'candidate']);
  });

  it('a failed post does not stop the queue', async () => {
    const key = randomBytes(32);
    let posts = 0;
    const channel = new SealedChannel<SignalBody>({
      sender: new SignalSender(key, 'appt', 'host'),
      receiver: new SignalReceiver(key, 'appt', 'host'),
      post: () => (++posts === 1 ? Promise.reject(new Error('offline')) : Promise.resolve()),
      onMessage: () => {},
      onRejected: () => {},
      local: {} as MediaStream,
    });
    await channel.send({ type: 'hello' });
    await channel.send({ type: 'bye' });
    expect(posts).toBe(2);
  });

  it('counts what does not open and hands on only what does; a message that does not fit is dropped', async () => {
    const got: string[] = [];
    const t = setUp((body) => {
      got.push(body.type);
      if (body.type === 'answer') throw new Error('wrong state');
    });
    await t.channel.receive('v1.not-sealed-by-the-patient');
    await t.channel.receive(t.patient.sender.seal({ type: 'answer', sdp: 'v=0' }));
    await t.channel.receive(new SignalSender(randomBytes(32), 'appt', 'patient').seal({ type: 'hello' }));
    await t.channel.receive(t.patient.sender.seal({ type: 'bye' }));
    expect(got).toEqual(['answer', 'bye']);
    expect(t.rejected).toEqual([1, 2]);
  });

  it('microphone, camera and screen switch the tracks and tell the other side', async () => {
    const t = setUp();
    t.channel.setMicrophone(false);
    t.channel.setCamera(false);
    t.channel.setScreen(true);
    void t.channel.announceMedia();
    expect([t.audio[0]!.enabled, t.video[0]!.enabled]).toEqual([false, false]);
    for (let i = 0; i < 4; i++) {
      await settle();
      t.relay[i]!.done();
    }
    expect([0, 1, 2, 3].map(t.opened)).toEqual([
      { type: 'media', camera: true, microphone: false, screen: false },
      { type: 'media', camera: false, microphone: false, screen: false },
      { type: 'media', camera: false, microphone: false, screen: true },
      { type: 'media', camera: false, microphone: false, screen: true },
    ]);
  });
});
