// What it costs to find an access code from a database dump, measured on this
// machine: the stored lookup (scrypt, LOOKUP_KDF) against the earlier HKDF
// lookup, and what the honest browser pays for one lookup. Writes the
// "Access codes" section of docs/PERFORMANCE.md.
import os from 'node:os';
import { hkdfSync, createHash, scryptSync } from 'node:crypto';
import { CODE_BITS, LOOKUP_KDF, generateAccessCode, joinLookup } from '@/lib/protocol/video';
import { median, writePerformanceSection } from './lib/app-server';

function rate(seconds: number, step: (i: number) => void): number {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) step(n++);
  return n / seconds;
}

const SECONDS_PER_YEAR = 365.25 * 24 * 3600;
// What a well-funded attacker brings to one code, relative to one core here.
// scrypt at 32 MiB per guess limits GPUs by memory, not arithmetic, so we take
// 10,000 cores' worth for it and 10^6 for the fast HKDF+SHA-256 path.
const SCRYPT_SPEEDUP = 1e4;
const FAST_SPEEDUP = 1e6;
const LIVE_CODES = 1e6;

async function main() {
  const { N, r, p, dkLen, salt } = LOOKUP_KDF;
  const scryptPerCore = rate(5, (i) => scryptSync(`ABCDEFGHJKMNPQ${i}`, salt, dkLen, { N, r, p, maxmem: 128 * N * r * 2 }));
  const hkdfPerCore = rate(2, (i) =>
    createHash('sha256').update(Buffer.from(hkdfSync('sha256', `ABCDEFGHJK${i}`, 'konsil/v1/access-code', 'join-lookup', 32))).digest(),
  );
  // The browser's path: @noble/hashes scrypt in JavaScript, as /join runs it.
  const browserMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await joinLookup(generateAccessCode());
    browserMs.push(performance.now() - t);
  }
  const years = (guesses: number, perSecond: number) => guesses / perSecond / SECONDS_PER_YEAR;
  const fmt = (y: number) => (y >= 1e6 ? y.toExponential(1) : y >= 10 ? Math.round(y).toLocaleString('en') : y.toFixed(1));
  const oneCode = years(2 ** (CODE_BITS - 1), scryptPerCore * SCRYPT_SPEEDUP);
  const anyCode = years(2 ** (CODE_BITS - 1) / LIVE_CODES, scryptPerCore * SCRYPT_SPEEDUP);
  const legacyAll = years(2 ** 59, hkdfPerCore * FAST_SPEEDUP);
  const wrapOne = years(2 ** (CODE_BITS - 1), hkdfPerCore * FAST_SPEEDUP);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`;
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. An attacker with a database dump tests guesses offline against the stored lookups; the figures are the expected time to find a code (half the search).`,
    '',
    '| | per guess | guesses/s on one core here | assumed attacker | expected time |',
    '| --- | --- | ---: | ---: | ---: |',
    `| one code (${CODE_BITS} bits), stored lookup | scrypt N=2^${Math.log2(N)}, r=${r} (${(128 * N * r) / 2 ** 20} MiB) | ${scryptPerCore.toFixed(1)} | ${SCRYPT_SPEEDUP.toLocaleString('en')} cores | ${fmt(oneCode)} years |`,
    `| any one of ${LIVE_CODES.toLocaleString('en')} live codes at once | same | | same | ${fmt(anyCode)} years |`,
    `| one code, through its \`host_wrap\` or a relayed signal | HKDF + XChaCha20-Poly1305 | ≈ ${Math.round(hkdfPerCore).toLocaleString('en')} | ${FAST_SPEEDUP.toLocaleString('en')} cores | ${fmt(wrapOne)} years |`,
    `| before: every 12-symbol code at once (60 bits) | HKDF + SHA-256 | ${Math.round(hkdfPerCore).toLocaleString('en')} | ${FAST_SPEEDUP.toLocaleString('en')} cores | ${fmt(legacyAll)} years |`,
    '',
    `The honest browser pays one lookup per code it enters: median ${median(browserMs).toFixed(0)} ms here (JavaScript scrypt, @noble/hashes), kept for the whole visit to /join; a phone takes a few times longer. The server computes the same lookup (native scrypt) only when Konsil sends an invitation, to check that the code belongs to the appointment.`,
  ].join('\n');
  const file = writePerformanceSection('## Access codes (`npm run bench:codes`)', body);
  console.log(body);
  console.log(`\nwritten to ${file}`);
}

void main();
