import { gcm } from '@noble/ciphers/aes.js';
import { CryptoError } from './types';

// Shared AES-256-GCM backend for stream.ts. Kept separate so the exact code
// path used for files can be checked against published test vectors.

export interface AesGcmKey {
  readonly backend: 'webcrypto' | 'noble';
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Rejects with CryptoError('decrypt_failed') when authentication fails. */
  open(nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Best-effort erasure of any key bytes held in JS memory. */
  dispose(): void;
}

const KEY_LENGTH = 32;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

// WebCrypto's typings require ArrayBuffer-backed views; copying is only
// needed for views over SharedArrayBuffer.
function buf(u: Uint8Array): Uint8Array<ArrayBuffer> {
  return u.buffer instanceof ArrayBuffer ? (u as Uint8Array<ArrayBuffer>) : new Uint8Array(u);
}

function checkNonce(nonce: Uint8Array): void {
  if (nonce.length !== NONCE_LENGTH) throw new CryptoError('bad_params', 'GCM nonce must be 12 bytes');
}

export async function importAesGcmKey(
  raw: Uint8Array,
  opts: { forceFallback?: boolean } = {},
): Promise<AesGcmKey> {
  if (!(raw instanceof Uint8Array) || raw.length !== KEY_LENGTH) {
    throw new CryptoError('bad_params', 'AES-256-GCM key must be 32 bytes');
  }
  const subtle = globalThis.crypto?.subtle;
  if (subtle && !opts.forceFallback) {
    // Non-extractable: once imported, the key cannot be read back out by
    // script, and the native implementation is constant-time and fast.
    const key = await subtle.importKey('raw', buf(raw), { name: 'AES-GCM' }, false, [
      'encrypt',
      'decrypt',
    ]);
    return {
      backend: 'webcrypto',
      async seal(nonce, plaintext, aad) {
        checkNonce(nonce);
        const out = await subtle.encrypt(
          { name: 'AES-GCM', iv: buf(nonce), additionalData: buf(aad), tagLength: TAG_LENGTH * 8 },
          key,
          buf(plaintext),
        );
        return new Uint8Array(out);
      },
      async open(nonce, ciphertext, aad) {
        checkNonce(nonce);
        if (ciphertext.length < TAG_LENGTH) throw new CryptoError('decrypt_failed', 'decryption failed');
        try {
          const out = await subtle.decrypt(
            { name: 'AES-GCM', iv: buf(nonce), additionalData: buf(aad), tagLength: TAG_LENGTH * 8 },
            key,
            buf(ciphertext),
          );
          return new Uint8Array(out);
        } catch (cause) {
          throw new CryptoError('decrypt_failed', 'decryption failed', { cause });
        }
      },
      dispose() {},
    };
  }

  // crypto.subtle is absent in insecure browser contexts (plain http on a
  // non-localhost origin); the pure-JS implementation keeps files readable.
  const keyBytes = new Uint8Array(raw);
  return {
    backend: 'noble',
    async seal(nonce, plaintext, aad) {
      checkNonce(nonce);
      return gcm(keyBytes, nonce, aad).encrypt(plaintext);
    },
    async open(nonce, ciphertext, aad) {
      checkNonce(nonce);
      try {
        return gcm(keyBytes, nonce, aad).decrypt(ciphertext);
      } catch (cause) {
        throw new CryptoError('decrypt_failed', 'decryption failed', { cause });
      }
    },
    dispose() {
      keyBytes.fill(0);
    },
  };
}
