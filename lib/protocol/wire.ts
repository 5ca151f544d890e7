import { z } from 'zod';

// Wire formats of the key material. The server can check shapes only; it
// cannot open any of it.
const b64uBytes = (n: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((n * 4) / 3)}}$`), 'bad_format');
export const ZKey32 = b64uBytes(32);
export const ZSalt = b64uBytes(16);
/** An Ed25519 signature (lib/protocol/signing.ts). */
export const ZSig64 = b64uBytes(64);
export const ZEnvelope = z
  .string()
  .max(200_000)
  .regex(/^v1\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22,}$/, 'bad_format');
export const ZSealed = z
  .string()
  .max(10_000)
  .regex(/^s1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22,}$/, 'bad_format');
export const ZSpki = z.string().min(40).max(400).regex(/^[A-Za-z0-9_-]+$/, 'bad_format');
export const ZSignature = z.string().min(40).max(200).regex(/^[A-Za-z0-9_-]+$/, 'bad_format');
