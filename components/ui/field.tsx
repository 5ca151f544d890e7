'use client';
import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';

// Ties a control to its error (or, without one, its hint) for screen readers.
function ariaFor(id: string, { required, error, hint }: { required?: boolean; error?: string; hint?: ReactNode }) {
  return {
    'aria-required': required || undefined,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}

type FieldShellProps = {
  id: string;
  label: string;
  required?: boolean;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
};

function FieldShell({ id, label, required, error, hint, children, className = '' }: FieldShellProps) {
  return (
    <div className={className}>
      <div className="flex gap-1 text-sm font-medium text-slate-800">
        <label htmlFor={id}>{label}</label>
        {required && (
          <span className="text-red-700" aria-hidden>
            *
          </span>
        )}
      </div>
      <div className="mt-1">{children}</div>
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

const inputClass =
  'block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-inset sm:text-sm';

export function TextField({
  label,
  error,
  hint,
  required,
  className,
  name,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement>; label: string; error?: string; hint?: ReactNode; name: string }) {
  const id = `${useId()}-${name}`;
  return (
    <FieldShell id={id} label={label} required={required} error={error} hint={hint} className={className}>
      <input
        id={id}
        name={name}
        {...ariaFor(id, { required, error, hint })}
        className={`${inputClass} ${error ? 'ring-red-600 focus:ring-red-600' : 'ring-slate-300 focus:ring-brand-600'}`}
        {...rest}
      />
    </FieldShell>
  );
}

export function SelectField({
  label,
  error,
  hint,
  required,
  className,
  name,
  options,
  placeholder,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & {
  ref?: Ref<HTMLSelectElement>;
  label: string;
  error?: string;
  hint?: ReactNode;
  name: string;
  options: { value: string; label: string }[];
  placeholder?: string;
}) {
  const id = `${useId()}-${name}`;
  return (
    <FieldShell id={id} label={label} required={required} error={error} hint={hint} className={className}>
      <select
        id={id}
        name={name}
        {...ariaFor(id, { required, error, hint })}
        className={`${inputClass} bg-white ${error ? 'ring-red-600' : 'ring-slate-300 focus:ring-brand-600'}`}
        {...rest}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckboxField({
  label,
  error,
  hint,
  required,
  name,
  className = '',
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement>; label: ReactNode; error?: string; hint?: ReactNode; name: string }) {
  const id = `${useId()}-${name}`;
  return (
    <div className={className}>
      <div className="flex items-start gap-3">
        <input
          id={id}
          name={name}
          type="checkbox"
          {...ariaFor(id, { required, error, hint })}
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-400 accent-brand-600"
          {...rest}
        />
        <span className="text-sm text-slate-800">
          <label htmlFor={id}>{label}</label>
          {required && (
            <span className="text-red-700" aria-hidden>
              {' '}
              *
            </span>
          )}
        </span>
      </div>
      {hint && !error && (
        <p id={`${id}-hint`} className="ml-7 mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="ml-7 mt-1 text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
