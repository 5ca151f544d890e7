import 'server-only';
import { webcrypto } from 'node:crypto';

/** Verifies an ECDSA P-256/SHA-256 signature made by a browser's device key. */
export async function verifyDeviceSignature(spkiB64u: string, signatureB64u: string, message: string): Promise<boolean> {
  try {
    const key = await webcrypto.subtle.importKey(
      'spki',
      Buffer.from(spkiB64u, 'base64url'),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    return await webcrypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      Buffer.from(signatureB64u, 'base64url'),
      new TextEncoder().encode(message),
    );
  } catch {
    return false;
  }
}

export async function isValidDevicePublicKey(spkiB64u: string): Promise<boolean> {
  try {
    await webcrypto.subtle.importKey('spki', Buffer.from(spkiB64u, 'base64url'), { name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'verify',
    ]);
    return true;
  } catch {
    return false;
  }
}
