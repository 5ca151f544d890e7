'use client';
import type { InputHTMLAttributes, ReactNode } from 'react';
import { useController, useFormContext } from 'react-hook-form';
import { useTranslations } from 'next-intl';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { useValidationMessage } from '@/components/ui/use-field-errors';
import type { TWizardField, TWizardValues } from './wizard-form';

type FieldOf<T> = { [K in TWizardField]: TWizardValues[K] extends T ? K : never }[TWizardField];
type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'value' | 'checked' | 'onChange' | 'onBlur'> & { hint?: ReactNode };

/**
 * A field bound to the wizard's form. Its error stays until the user changes
 * the field; whether the new value is right is decided at the next step's check.
 */
function useWizardField<K extends TWizardField>(name: K) {
  const { field, fieldState } = useController<TWizardValues, K>({ name });
  const { clearErrors } = useFormContext<TWizardValues>();
  const vMsg = useValidationMessage();
  const error = fieldState.error;
  const set = (value: TWizardValues[K]) => {
    field.onChange(value);
    if (error) clearErrors(name);
  };
  return { value: field.value, set, error: vMsg(error?.message) };
}

/** A text input; `typed` keeps what is typed in a form (the IBAN in capitals), `tidy` tidies a filled field when it is left. */
export function WizardText({
  name,
  type = 'text',
  autoComplete = 'off',
  typed = (text) => text,
  tidy,
  ...rest
}: InputProps & { name: FieldOf<string>; typed?: (text: string) => string; tidy?: (text: string) => string }) {
  const t = useTranslations('register');
  const f = useWizardField(name);
  return (
    <TextField
      name={name}
      label={t(`fields.${name}`)}
      type={type}
      autoComplete={autoComplete}
      {...rest}
      value={f.value}
      onChange={(e) => f.set(typed(e.target.value))}
      onBlur={tidy && (() => f.value && f.set(tidy(f.value)))}
      error={f.error}
    />
  );
}

export function WizardSelect({
  name,
  options,
  labelNs,
  className,
}: {
  name: 'orgType' | 'orgSize' | 'salutation';
  options: readonly string[];
  labelNs: 'orgTypes' | 'orgSizes' | 'salutations';
  className?: string;
}) {
  const t = useTranslations('register');
  const f = useWizardField(name);
  return (
    <SelectField
      name={name}
      label={t(`fields.${name}`)}
      required
      className={className}
      value={f.value}
      placeholder={t('choose')}
      options={options.map((o) => ({ value: o, label: t(`${labelNs}.${o}`) }))}
      onChange={(e) => f.set(e.target.value)}
      error={f.error}
    />
  );
}

/** A checkbox; its label is the field's name unless given. */
export function WizardCheckbox({ name, label, ...rest }: InputProps & { name: FieldOf<boolean>; label?: ReactNode }) {
  const t = useTranslations('register');
  const f = useWizardField(name);
  return (
    <CheckboxField
      name={name}
      label={label ?? t(`fields.${name}`)}
      {...rest}
      checked={f.value}
      onChange={(e) => f.set(e.target.checked)}
      error={f.error}
    />
  );
}
