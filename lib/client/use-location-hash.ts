'use client';
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/**
 * The address's fragment ("#…"), which browsers never send to a server: where
 * links carry secrets (invitation token and code, confirmation token, access
 * code). null while the page renders on the server and hydrates.
 */
export function useLocationHash(): string | null {
  return useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => null,
  );
}
