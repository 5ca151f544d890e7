'use client';
import { useEffect, useState } from 'react';
import { shortNameError } from '@/lib/validation/rules';

export type ShortNameState = { name: string; state: 'idle' | 'checking' | 'available' | 'taken' | 'invalid' };

/** Whether the organisation short name is still free, asked (debounced) while it is typed. */
export function useShortNameCheck(typed: string) {
  // What the server said about a name; what is shown follows the name as typed.
  const [remote, setRemote] = useState<ShortNameState | null>(null);
  const typedShortName = typed.trim();
  const shortName: ShortNameState = !typedShortName
    ? { name: typedShortName, state: 'idle' }
    : shortNameError(typedShortName)
      ? { name: typedShortName, state: 'invalid' }
      : remote?.name === typedShortName
        ? remote
        : { name: typedShortName, state: 'checking' };

  useEffect(() => {
    const name = typedShortName;
    if (!name || shortNameError(name)) return;
    const ctrl = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/register/short-name?name=${encodeURIComponent(name)}`, { signal: ctrl.signal });
        const data = (await res.json()) as { valid?: boolean; available?: boolean };
        setRemote({ name, state: data.available ? 'available' : data.valid === false ? 'invalid' : 'taken' });
      } catch {
        /* aborted or offline: the server checks again on submit */
      }
    }, 300);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [typedShortName]);

  /** The server refused the name on submit. */
  const markTaken = (name: string) => setRemote({ name, state: 'taken' });
  return { shortName, markTaken };
}
