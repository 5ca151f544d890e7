'use client';
import { useEffect, useState } from 'react';
import { api, errorCode } from '@/lib/client/api';
import type { DirectoryEntry } from '@/lib/client/partners';

const DEBOUNCE_MS = 200;

export type SearchState = { q: string; entries: DirectoryEntry[] | null; error: string | null };

/** Results as you type: each query waits for a short pause in typing, and a newer one cancels the older. */
export function useDirectorySearch(q: string): SearchState & { pending: boolean } {
  const [state, setState] = useState<SearchState>({ q: '', entries: null, error: null });
  const query = q.trim();
  useEffect(() => {
    if (query.length < 2) return;
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api<{ entries: DirectoryEntry[] }>(`/api/directory?q=${encodeURIComponent(query)}`)
        .then((r) => !ctl.signal.aborted && setState({ q: query, entries: r.entries, error: null }))
        .catch((e: unknown) => !ctl.signal.aborted && setState({ q: query, entries: null, error: errorCode(e) }));
    }, DEBOUNCE_MS);
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, [query]);
  const current = state.q === query ? state : { q: query, entries: null, error: null };
  return { ...current, pending: query.length >= 2 && state.q !== query };
}
