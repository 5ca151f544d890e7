// Unlocked keys live only in this module's memory: never in localStorage,
// sessionStorage, IndexedDB or a cookie. A full reload drops them and the
// app asks for the password again.
import { useSyncExternalStore } from 'react';
import type { UnlockedKeys } from '@/lib/protocol/account';

let current: UnlockedKeys | null = null;
const listeners = new Set<() => void>();

export function setKeys(keys: UnlockedKeys | null): void {
  if (current && current !== keys) {
    current.userKey.fill(0);
    current.x25519Private.fill(0);
    current.ed25519Private.fill(0);
    current.orgKey?.fill(0);
    current.orgPrivateKey?.fill(0);
  }
  current = keys;
  for (const l of listeners) l();
}

export function getKeys(): UnlockedKeys | null {
  return current;
}

export function useKeys(): UnlockedKeys | null {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => current,
    () => null,
  );
}

// Something that must not be cut off by the idle lock (a call in progress)
// holds the keys; the idle lock waits until every hold is released.
let holds = 0;

export function holdKeys(): () => void {
  holds++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds--;
  };
}

export function keysHeld(): boolean {
  return holds > 0;
}
