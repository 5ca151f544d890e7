// The browser's device keys: ECDSA P-256 pairs created non-extractable and
// kept in IndexedDB, so the private half can sign login challenges but can
// never be read out by script, extension or server.
import { toB64u } from '@/lib/crypto/encoding';
import { normalizeShortName } from '@/lib/validation/rules';

export type DeviceEntry = { deviceId: string; name: string; publicKey: string; keyPair: CryptoKeyPair };

const DB_NAME = 'konsil-devices';
const STORE = 'devices';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

export function accountKey(orgShortName: string, userShortName: string): string {
  return `${normalizeShortName(orgShortName)}/${normalizeShortName(userShortName)}`;
}

export async function getDevice(orgShortName: string, userShortName: string): Promise<DeviceEntry | null> {
  const v = await tx<DeviceEntry | undefined>('readonly', (s) => s.get(accountKey(orgShortName, userShortName)));
  return v ?? null;
}

export async function createDevice(name: string): Promise<DeviceEntry> {
  const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keyPair.publicKey));
  return { deviceId: crypto.randomUUID(), name, publicKey: toB64u(spki), keyPair };
}

export async function saveDevice(orgShortName: string, userShortName: string, entry: DeviceEntry): Promise<void> {
  await tx('readwrite', (s) => s.put(entry, accountKey(orgShortName, userShortName)));
}

export async function forgetDevice(orgShortName: string, userShortName: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(accountKey(orgShortName, userShortName)));
}

export async function signWithDevice(entry: DeviceEntry, message: string): Promise<string> {
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, entry.keyPair.privateKey, new TextEncoder().encode(message));
  return toB64u(new Uint8Array(sig));
}
