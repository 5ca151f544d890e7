import { describe, expect, it } from 'vitest';
import { scryptSync } from 'node:crypto';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  CODE_ALPHABET,
  CODE_BITS,
  generateAccessCode,
  joinLookup,
  LOOKUP_KDF,
  lookupHash,
  normaliseCode,
  sealSignal,
  signalKey,
  SignalReceiver,
  SignalSender,
  unwrapPatientCode,
  wrapPatientCode,
} from './video';

const APPT = '7b0e4a52-9d0c-4c53-8f43-0f0d0d2b9a11';

describe('access codes', () => {
  it('have 80 bits and only unambiguous symbols', () => {
    expect(CODE_BITS).toBe(80);
    expect(CODE_ALPHABET).not.toMatch(/[01OI]/);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    for (let i = 0; i < 200; i++) {
      const c = generateAccessCode();
      expect(c).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    }
  });
  it('are spread over the whole alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const ch of generateAccessCode().replace(/-/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // 32 000 symbols, 1 000 expected per symbol; a biased generator would stray far.
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(180);
  });
  it.each([
    ['abcd-efgh-jkmn-pqrs', 'ABCDEFGHJKMNPQRS'],
    [' ABCD EFGH JKMN PQRS ', 'ABCDEFGHJKMNPQRS'],
    ['ABCDEFGHJKMNPQRS', 'ABCDEFGHJKMNPQRS'],
    ['abcd-efgh-jkmn', 'ABCDEFGHJKMN'],
    ['ABCD-EFGH-JKMN-PQR0', null],
    ['ABCD-EFGH-JKMN-PQRI', null],
    ['ABCD-EFGH-JKMN-PQR', null],
    ['ABCD-EFGH-JKMN-PQRST', null],
    ['ABCD-EFGH-JKMNP', null],
    ['', null],
  ])('normalise %j', (input, out) => {
    expect(normaliseCode(input)).toBe(out);
  });
  it('lookups are scrypt of the code, do not reveal it and differ from the signal key', async () => {
    const code = generateAccessCode();
    const l = await joinLookup(code);
    expect(l).toMatch(/^[0-9a-f]{64}$/);
    expect(l).toBe(await joinLookup(code.toLowerCase().replace(/-/g, ' ')));
    // Node's own scrypt with the published parameters gives the same value: the server can check a code it is handed.
    const { N, r, p, dkLen, salt } = LOOKUP_KDF;
    expect(scryptSync(code.replace(/-/g, ''), salt, dkLen, { N, r, p, maxmem: 64 << 20 }).toString('hex')).toBe(l);
    expect(N * r * 128).toBeGreaterThanOrEqual(32 << 20);
    expect(l).not.toContain(code.replace(/-/g, ''));
    expect(Buffer.from(signalKey(code, APPT)).toString('hex')).not.toBe(l);
    expect(lookupHash(l)).not.toBe(l);
  });
  it('a code of the earlier 12-symbol form still finds its appointment by the earlier lookup', async () => {
    const legacy = 'ABCD-EFGH-JKMN';
    const l = await joinLookup(legacy);
    expect(l).toBe(Buffer.from(hkdf(sha256, Buffer.from('ABCDEFGHJKMN'), Buffer.from('konsil/v1/access-code'), Buffer.from('join-lookup'), 32)).toString('hex'));
  });
  it('the doctor code opens the patient code, another code does not', () => {
    const doctor = generateAccessCode();
    const patient = generateAccessCode();
    const wrap = wrapPatientCode(doctor, patient, APPT);
    expect(unwrapPatientCode(doctor, wrap, APPT)).toBe(patient);
    expect(() => unwrapPatientCode(generateAccessCode(), wrap, APPT)).toThrow();
    expect(() => unwrapPatientCode(doctor, wrap, '00000000-0000-4000-8000-000000000000')).toThrow();
  });
});

describe('signalling', () => {
  const code = generateAccessCode();
  const key = signalKey(code, APPT);

  it('a message from the other side opens; sequence numbers must grow', () => {
    const tx = new SignalSender(key, APPT, 'host');
    const rx = new SignalReceiver(key, APPT, 'patient');
    const m1 = tx.seal({ type: 'offer', sdp: 'v=0' });
    const m2 = tx.seal({ type: 'candidate', candidate: null });
    const r1 = rx.open(m1);
    expect(r1.ok && r1.msg.body).toEqual({ type: 'offer', sdp: 'v=0' });
    expect(rx.open(m2).ok).toBe(true);
    expect(rx.open(m1)).toEqual({ ok: false, reason: 'replayed' });
  });
  it('rejects a message sealed with another code (a forger without the code)', () => {
    const forger = new SignalSender(signalKey(generateAccessCode(), APPT), APPT, 'host');
    const rx = new SignalReceiver(key, APPT, 'patient');
    expect(rx.open(forger.seal({ type: 'offer', sdp: 'v=0 forged' }))).toEqual({ ok: false, reason: 'forged' });
  });
  it('rejects an altered message, one for another appointment, and the own echo', () => {
    const tx = new SignalSender(key, APPT, 'host');
    const sealed = tx.seal({ type: 'answer', sdp: 'x' });
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[2]!, 'base64url');
    ct[0] ^= 1;
    const altered = `${parts[0]}.${parts[1]}.${ct.toString('base64url')}`;
    expect(new SignalReceiver(key, APPT, 'patient').open(altered)).toEqual({ ok: false, reason: 'forged' });
    const other = '11111111-1111-4111-8111-111111111111';
    expect(new SignalReceiver(key, other, 'patient').open(sealed).ok).toBe(false);
    expect(new SignalReceiver(key, APPT, 'host').open(sealed).ok).toBe(false);
  });
  it('rejects stale messages', () => {
    const sealed = sealSignal(key, APPT, { from: 'host', sid: 'a', seq: 0, ts: Date.now() - 11 * 60_000, body: { type: 'bye' } });
    expect(new SignalReceiver(key, APPT, 'patient').open(sealed)).toEqual({ ok: false, reason: 'stale' });
  });
});
