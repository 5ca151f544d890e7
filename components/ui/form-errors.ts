'use client';
import type { FieldValues, Path, UseFormClearErrors, UseFormRegister, UseFormSetError } from 'react-hook-form';
import { ApiError } from '@/lib/client/api';

/** The forms judge their fields when submitted, not as they are typed, and leave the focus where the user has it. */
export const CHECK_ON_SUBMIT = { reValidateMode: 'onSubmit', shouldFocusError: false } as const;

/** The error type of a message the server put on a field (its message is a validation key, as the client's own). */
export const SERVER_ERROR = 'server';

/** Puts a refused call's field errors next to their fields; anything else thrown leaves the fields alone. */
export function setServerFieldErrors<T extends FieldValues>(setError: UseFormSetError<T>, e: unknown): void {
  if (!(e instanceof ApiError) || !e.fields) return;
  for (const [name, message] of Object.entries(e.fields)) {
    // '' is the body as a whole: no field to stand by.
    if (name) setError(name as Path<T>, { type: SERVER_ERROR, message });
  }
}

/**
 * `register` for forms whose errors wait for the next submit: editing a field
 * takes its error away (and runs `onEdit`, e.g. to withdraw a "saved" notice).
 */
export function registerClearing<T extends FieldValues>(
  { register, clearErrors }: { register: UseFormRegister<T>; clearErrors: UseFormClearErrors<T> },
  onEdit?: () => void,
) {
  return (name: Path<T>) =>
    register(name, {
      onChange: () => {
        clearErrors(name);
        onEdit?.();
      },
    });
}
