'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress';
import { StepIndicator, type StepKey } from './step-indicator';
import { useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';
import {
  ORG_SIZES,
  ORG_TYPES,
  SALUTATIONS,
  ZBillingStep,
  ZCredentialsStep,
  ZOrganisationStep,
  ZSummaryStep,
  issuesToFieldErrors,
} from '@/lib/validation/registration';
import { formatIban, shortNameError } from '@/lib/validation/rules';
import { PasswordStrength, usePasswordVerdict, weakPasswordErrors } from '@/components/ui/password-strength';
import { registerFlow } from '@/lib/client/flows';
import { ApiError } from '@/lib/client/api';

type Plan = 'basis' | 'plus';

const EMPTY = {
  orgName: '',
  orgType: '',
  orgSize: '',
  specialty: '',
  bsnr: '',
  lanr: '',
  street: '',
  houseNumber: '',
  addressExtra: '',
  plz: '',
  city: '',
  salutation: '',
  title: '',
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  directoryVisible: false,
  orgShortName: '',
  userShortName: '',
  password: '',
  passwordRepeat: '',
  masterPassword: '',
  masterPasswordRepeat: '',
  deviceName: '',
  accountHolder: '',
  iban: '',
  bic: '',
  sepaMandate: false,
  avvAccepted: false,
  credentialsNoted: false,
};
type Values = typeof EMPTY;
type Key = keyof Values;

const STEP_FIELDS: Record<StepKey, Key[]> = {
  organisation: ['orgName', 'orgType', 'orgSize', 'specialty', 'bsnr', 'lanr', 'street', 'houseNumber', 'addressExtra', 'plz', 'city', 'salutation', 'title', 'firstName', 'lastName', 'email', 'phone', 'directoryVisible'],
  credentials: ['orgShortName', 'userShortName', 'password', 'passwordRepeat', 'masterPassword', 'masterPasswordRepeat', 'deviceName'],
  billing: ['accountHolder', 'iban', 'bic', 'sepaMandate'],
  summary: ['avvAccepted', 'credentialsNoted'],
};
const SCHEMAS = { organisation: ZOrganisationStep, credentials: ZCredentialsStep, billing: ZBillingStep, summary: ZSummaryStep };

type ShortNameState = { name: string; state: 'idle' | 'checking' | 'available' | 'taken' | 'invalid' };

export function RegisterWizard() {
  const t = useTranslations('register');
  const tc = useTranslations('common');
  const locale = useLocale() as 'de' | 'en';
  const format = useFormatter();
  const router = useRouter();
  const vMsg = useValidationMessage();
  const eMsg = useErrorMessage();
  const [plan, setPlan] = useState<Plan>('basis');
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [step, setStep] = useState<StepKey>('organisation');
  const [formError, setFormError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  // What the server said about a name; what is shown follows the name as typed.
  const [remote, setRemote] = useState<ShortNameState | null>(null);
  const typedShortName = values.orgShortName.trim();
  const shortName: ShortNameState = !typedShortName
    ? { name: typedShortName, state: 'idle' }
    : shortNameError(typedShortName)
      ? { name: typedShortName, state: 'invalid' }
      : remote?.name === typedShortName
        ? remote
        : { name: typedShortName, state: 'checking' };
  const headingRef = useRef<HTMLHeadingElement>(null);

  const steps: StepKey[] = plan === 'plus' ? ['organisation', 'credentials', 'billing', 'summary'] : ['organisation', 'credentials', 'summary'];
  const index = steps.indexOf(step);

  const set = <K extends Key>(k: K, v: Values[K]) => {
    setValues((old) => ({ ...old, [k]: v }));
    setErrors((old) => {
      if (!old[k]) return old;
      const { [k]: _gone, ...rest } = old;
      return rest;
    });
  };

  // Live check of the organisation short name while typing (debounced).
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

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  const validateStep = (s: StepKey, extra: Record<string, string> = {}): boolean => {
    const parsed = SCHEMAS[s].safeParse(values);
    let errs: Record<string, string> = { ...extra, ...(parsed.success ? {} : issuesToFieldErrors(parsed.error)) };
    if (s === 'credentials' && shortName.state === 'taken' && !errs.orgShortName) errs = { ...errs, orgShortName: 'shortNameTaken' };
    const relevant = Object.fromEntries(Object.entries(errs).filter(([k]) => STEP_FIELDS[s].includes(k as Key)));
    setErrors(relevant);
    return Object.keys(relevant).length === 0;
  };

  // Passwords that are easy to guess (zxcvbn-ts) are refused; the meter says why.
  const weak = () => weakPasswordErrors({ password: values.password, masterPassword: values.masterPassword }, knownInputs, locale);
  const next = async () => {
    setFormError(null);
    if (!validateStep(step, step === 'credentials' ? await weak() : {})) return;
    setStep(steps[index + 1]);
  };
  const back = () => {
    setFormError(null);
    setErrors({});
    setStep(steps[index - 1]);
  };

  const finish = async () => {
    setFormError(null);
    if (!validateStep('summary')) return;
    const weakErrors = await weak();
    for (const s of steps) {
      const ok = SCHEMAS[s].safeParse(values).success && (s !== 'credentials' || Object.keys(weakErrors).length === 0);
      if (!ok) {
        setStep(s);
        validateStep(s, s === 'credentials' ? weakErrors : {});
        return;
      }
    }
    setProgress(0);
    try {
      const contract = {
        plan,
        ...Object.fromEntries(STEP_FIELDS.organisation.map((k) => [k, values[k]])),
        orgShortName: values.orgShortName,
        userShortName: values.userShortName,
        deviceName: values.deviceName,
        ...(plan === 'plus' ? { accountHolder: values.accountHolder, iban: values.iban, bic: values.bic } : {}),
      };
      await registerFlow({
        contract: contract as Parameters<typeof registerFlow>[0]['contract'],
        password: values.password,
        masterPassword: values.masterPassword,
        locale,
        onProgress: setProgress,
      });
      router.push('/app');
    } catch (e) {
      setProgress(null);
      if (e instanceof ApiError && e.fields) {
        const fieldErrs = e.fields as Record<string, string>;
        const target = steps.find((s) => STEP_FIELDS[s].some((k) => fieldErrs[k] || fieldErrs[`contract.${k}`]));
        const mapped: Record<string, string> = {};
        for (const [k, v] of Object.entries(fieldErrs)) mapped[k.replace(/^contract\./, '')] = v;
        if (target) {
          setStep(target);
          setErrors(mapped);
        }
      }
      if (e instanceof ApiError && e.code === 'short_name_taken') {
        setRemote({ name: values.orgShortName.trim(), state: 'taken' });
        setStep('credentials');
        setErrors({ orgShortName: 'shortNameTaken' });
      }
      setFormError(e instanceof ApiError ? eMsg(e.code, e.retryAfterSeconds) : eMsg('internal'));
    }
  };

  const field = (k: Key, opts: { required?: boolean; type?: string; autoComplete?: string; hint?: string; className?: string; inputMode?: 'numeric' | 'email' | 'tel' } = {}) => (
    <TextField
      name={k}
      label={t(`fields.${k}`)}
      required={opts.required}
      type={opts.type ?? 'text'}
      autoComplete={opts.autoComplete ?? 'off'}
      inputMode={opts.inputMode}
      hint={opts.hint}
      className={opts.className}
      value={String(values[k])}
      onChange={(e) => set(k, e.target.value as never)}
      error={vMsg(errors[k])}
    />
  );
  const select = (k: Key, options: readonly string[], labelNs: string, className?: string) => (
    <SelectField
      name={k}
      label={t(`fields.${k}`)}
      required
      className={className}
      value={String(values[k])}
      placeholder={t('choose')}
      options={options.map((o) => ({ value: o, label: t(`${labelNs}.${o}`) }))}
      onChange={(e) => set(k, e.target.value as never)}
      error={vMsg(errors[k])}
    />
  );

  const knownInputs = [values.orgShortName, values.userShortName, values.orgName, values.firstName, values.lastName, values.email];
  const strength = usePasswordVerdict(values.password, knownInputs);
  const masterStrength = usePasswordVerdict(values.masterPassword, knownInputs);
  const busy = progress !== null;

  const summaryRows = useMemo(
    () => [
      ...STEP_FIELDS.organisation.map((k) => [
        t(`fields.${k}`),
        k === 'orgType' && values.orgType
          ? t(`orgTypes.${values.orgType}`)
          : k === 'orgSize' && values.orgSize
            ? t(`orgSizes.${values.orgSize}`)
            : k === 'salutation' && values.salutation
              ? t(`salutations.${values.salutation}`)
              : k === 'directoryVisible'
                ? tc(values.directoryVisible ? 'yes' : 'no')
                : String(values[k] || '–'),
      ]),
    ],
    [values, t, tc],
  );

  return (
    <div>
      <div className="no-print">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('intro')}</p>

        <fieldset className="mt-6" disabled={busy || step !== 'organisation'}>
          <legend className="text-sm font-semibold text-slate-800">{t('planTitle')}</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {(['basis', 'plus'] as const).map((p) => (
              <label
                key={p}
                className={`flex cursor-pointer gap-3 rounded-lg border bg-white p-4 shadow-sm ${plan === p ? 'border-brand-600 ring-2 ring-brand-600' : 'border-slate-200'}`}
              >
                <input type="radio" name="plan" value={p} checked={plan === p} onChange={() => setPlan(p)} className="mt-1 accent-brand-600" />
                <span>
                  <span className="block font-semibold">{t(p === 'basis' ? 'planBasis' : 'planPlus')}</span>
                  <span className="block text-sm font-medium text-brand-700">{t(p === 'basis' ? 'planBasisPrice' : 'planPlusPrice')}</span>
                  <span className="mt-1 block text-xs text-slate-600">{t(p === 'basis' ? 'planBasisText' : 'planPlusText')}</span>
                </span>
              </label>
            ))}
          </div>
          <p className="mt-1 text-xs text-slate-500">{t('priceNote')}</p>
        </fieldset>

        <div className="mt-6">
          <StepIndicator current={step} hasBilling={plan === 'plus'} />
        </div>

        <form
          className="mt-6 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (step === 'summary') void finish();
            else void next();
          }}
        >
          <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold outline-none">
            {t(`steps.${step}`)} <span className="text-sm font-normal text-slate-500">· {t('stepOf', { current: index + 1, total: steps.length })}</span>
          </h2>
          <p className="mb-4 text-xs text-slate-500">{tc('requiredHint')}</p>

          {step === 'organisation' && (
            <div className="space-y-8">
              <fieldset className="grid gap-4 sm:grid-cols-6">
                <legend className="mb-2 text-sm font-semibold text-brand-900">{t('sections.organisation')}</legend>
                {field('orgName', { required: true, className: 'sm:col-span-6', autoComplete: 'organization' })}
                {select('orgType', ORG_TYPES, 'orgTypes', 'sm:col-span-3')}
                {select('orgSize', ORG_SIZES, 'orgSizes', 'sm:col-span-3')}
                {field('specialty', { className: 'sm:col-span-2' })}
                {field('bsnr', { className: 'sm:col-span-2', inputMode: 'numeric' })}
                {field('lanr', { className: 'sm:col-span-2', inputMode: 'numeric', hint: t('hints.lanr') })}
              </fieldset>
              <fieldset className="grid gap-4 sm:grid-cols-6">
                <legend className="mb-2 text-sm font-semibold text-brand-900">{t('sections.address')}</legend>
                {field('street', { required: true, className: 'sm:col-span-4', autoComplete: 'address-line1' })}
                {field('houseNumber', { required: true, className: 'sm:col-span-2' })}
                {field('addressExtra', { className: 'sm:col-span-6', autoComplete: 'address-line2' })}
                {field('plz', { required: true, className: 'sm:col-span-2', inputMode: 'numeric', hint: t('hints.plz'), autoComplete: 'postal-code' })}
                {field('city', { required: true, className: 'sm:col-span-4', autoComplete: 'address-level2' })}
              </fieldset>
              <fieldset className="grid gap-4 sm:grid-cols-6">
                <legend className="mb-2 text-sm font-semibold text-brand-900">{t('sections.contact')}</legend>
                {select('salutation', SALUTATIONS, 'salutations', 'sm:col-span-2')}
                {field('title', { className: 'sm:col-span-4', autoComplete: 'honorific-prefix' })}
                {field('firstName', { required: true, className: 'sm:col-span-3', autoComplete: 'given-name' })}
                {field('lastName', { required: true, className: 'sm:col-span-3', autoComplete: 'family-name' })}
                {field('email', { required: true, type: 'email', className: 'sm:col-span-3', autoComplete: 'email', inputMode: 'email' })}
                {field('phone', { required: true, type: 'tel', className: 'sm:col-span-3', autoComplete: 'tel', inputMode: 'tel' })}
              </fieldset>
              <fieldset>
                <legend className="mb-2 text-sm font-semibold text-brand-900">{t('sections.directory')}</legend>
                <CheckboxField
                  name="directoryVisible"
                  label={t('fields.directoryVisible')}
                  hint={t('hints.directoryVisible')}
                  checked={values.directoryVisible}
                  onChange={(e) => set('directoryVisible', e.target.checked)}
                />
              </fieldset>
            </div>
          )}

          {step === 'credentials' && (
            <div className="space-y-6">
              <Alert tone="warning" title={t('warningTitle')}>
                {t('warning')}
              </Alert>
              <div className="grid gap-4 sm:grid-cols-2">
                <div>
                  {field('orgShortName', { required: true, hint: t('hints.orgShortName') })}
                  <p className="mt-1 text-xs" aria-live="polite">
                    {shortName.state === 'checking' && <span className="text-slate-500">{t('shortNameChecking')}</span>}
                    {shortName.state === 'available' && !errors.orgShortName && <span className="text-emerald-700">✓ {t('shortNameAvailable')}</span>}
                    {shortName.state === 'taken' && !errors.orgShortName && <span className="text-red-700">{vMsg('shortNameTaken')}</span>}
                  </p>
                </div>
                {field('userShortName', { required: true, hint: t('hints.userShortName'), autoComplete: 'username' })}
                <div>
                  {field('password', { required: true, type: 'password', autoComplete: 'new-password', hint: t('hints.password') })}
                  <PasswordStrength verdict={strength} />
                </div>
                {field('passwordRepeat', { required: true, type: 'password', autoComplete: 'new-password' })}
                <div>
                  {field('masterPassword', { required: true, type: 'password', autoComplete: 'new-password', hint: t('hints.masterPassword') })}
                  <PasswordStrength verdict={masterStrength} />
                </div>
                {field('masterPasswordRepeat', { required: true, type: 'password', autoComplete: 'new-password' })}
                {field('deviceName', { required: true, hint: t('hints.deviceName') })}
              </div>
            </div>
          )}

          {step === 'billing' && (
            <div className="grid gap-4 sm:grid-cols-2">
              {field('accountHolder', { required: true, className: 'sm:col-span-2', autoComplete: 'name' })}
              <TextField
                name="iban"
                label={t('fields.iban')}
                required
                autoComplete="off"
                value={values.iban}
                onChange={(e) => set('iban', e.target.value.toUpperCase())}
                onBlur={() => values.iban && set('iban', formatIban(values.iban))}
                error={vMsg(errors.iban)}
              />
              {field('bic', { required: true })}
              <div className="rounded-md bg-slate-50 p-4 text-xs text-slate-700 ring-1 ring-slate-200 sm:col-span-2">
                <p className="font-semibold">{t('fields.sepaMandate')}</p>
                <p className="mt-1">{t('sepaCreditor')}</p>
                <p className="mt-2">{t('sepaText')}</p>
              </div>
              <CheckboxField
                className="sm:col-span-2"
                name="sepaMandate"
                required
                label={t('fields.sepaMandate')}
                checked={values.sepaMandate}
                onChange={(e) => set('sepaMandate', e.target.checked)}
                error={vMsg(errors.sepaMandate)}
              />
            </div>
          )}

          {step === 'summary' && (
            <div className="space-y-6">
              <p className="text-sm text-slate-700">{t('summaryIntro')}</p>
              <SummaryBlock title={t('summaryPlan')} rows={[[t('summaryPlan'), t(plan === 'basis' ? 'planBasis' : 'planPlus')]]} onEdit={null} editLabel="" />
              <SummaryBlock title={t('steps.organisation')} rows={summaryRows} onEdit={() => setStep('organisation')} editLabel={t('edit')} />
              <SummaryBlock
                title={t('steps.credentials')}
                rows={[
                  [t('fields.orgShortName'), values.orgShortName],
                  [t('fields.userShortName'), values.userShortName],
                  [t('fields.password'), t('masked')],
                  [t('fields.masterPassword'), t('masked')],
                  [t('fields.deviceName'), values.deviceName],
                ]}
                onEdit={() => setStep('credentials')}
                editLabel={t('edit')}
              />
              {plan === 'plus' && (
                <SummaryBlock
                  title={t('steps.billing')}
                  rows={[
                    [t('fields.accountHolder'), values.accountHolder],
                    [t('fields.iban'), formatIban(values.iban)],
                    [t('fields.bic'), values.bic.toUpperCase()],
                    [t('fields.sepaMandate'), tc('yes')],
                  ]}
                  onEdit={() => setStep('billing')}
                  editLabel={t('edit')}
                />
              )}
              <div className="space-y-3">
                <CheckboxField
                  name="avvAccepted"
                  required
                  label={
                    <>
                      {t('fields.avvAccepted')} (
                      <Link href="/avv" target="_blank" className="text-brand-700 underline">
                        {t('avvLink')}
                      </Link>
                      )
                    </>
                  }
                  checked={values.avvAccepted}
                  onChange={(e) => set('avvAccepted', e.target.checked)}
                  error={vMsg(errors.avvAccepted)}
                />
                <CheckboxField
                  name="credentialsNoted"
                  required
                  label={t('fields.credentialsNoted')}
                  checked={values.credentialsNoted}
                  onChange={(e) => set('credentialsNoted', e.target.checked)}
                  error={vMsg(errors.credentialsNoted)}
                />
              </div>
              <Alert tone="warning">{t('warning')}</Alert>
            </div>
          )}

          {formError && (
            <Alert tone="error" className="mt-6">
              {formError}
            </Alert>
          )}
          {busy && <ProgressBar value={progress ?? 0} label={tc('deriving', { percent: Math.round((progress ?? 0) * 100) })} />}

          <div className="mt-8 flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-5">
            <div>
              {index > 0 && (
                <Button type="button" variant="secondary" onClick={back} disabled={busy}>
                  {tc('back')}
                </Button>
              )}
            </div>
            <div className="flex gap-3">
              {step === 'summary' && (
                <Button type="button" variant="secondary" onClick={() => window.print()} disabled={busy}>
                  {t('print')}
                </Button>
              )}
              <Button type="submit" pending={busy}>
                {step === 'summary' ? t('finish') : tc('next')}
              </Button>
            </div>
          </div>
        </form>
      </div>

      {/* The sheet that "Übersicht drucken" prints: short names and blank lines for the passwords, which are never printed. */}
      <div className="print-only">
        <h1 className="text-2xl font-semibold">{t('printTitle')}</h1>
        <p className="mt-1 text-sm">{t('printDate', { date: format.dateTime(new Date(), { dateStyle: 'long' }) })}</p>
        <table className="mt-6 w-full text-left text-base">
          <tbody>
            {[
              [t('fields.orgName'), values.orgName],
              [t('fields.orgShortName'), values.orgShortName],
              [t('fields.userShortName'), values.userShortName],
              [t('fields.deviceName'), values.deviceName],
              [t('summaryPlan'), t(plan === 'basis' ? 'planBasis' : 'planPlus')],
            ].map(([k, v]) => (
              <tr key={k} className="border-b">
                <th className="py-2 pr-4 font-medium">{k}</th>
                <td className="py-2">{v}</td>
              </tr>
            ))}
            {[t('fields.password'), t('fields.masterPassword')].map((k) => (
              <tr key={k} className="border-b">
                <th className="py-4 pr-4 font-medium">{k}</th>
                <td className="py-4">______________________________</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-6 text-sm">{t('printNote')}</p>
      </div>
    </div>
  );
}

function SummaryBlock({ title, rows, onEdit, editLabel }: { title: string; rows: string[][]; onEdit: (() => void) | null; editLabel: string }) {
  return (
    <div className="rounded-md ring-1 ring-slate-200">
      <div className="flex items-center justify-between border-b border-slate-200 bg-slate-50 px-4 py-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        {onEdit && (
          <button type="button" onClick={onEdit} className="text-sm font-medium text-brand-700 underline">
            {editLabel}
          </button>
        )}
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 px-4 py-3 text-sm sm:grid-cols-2">
        {rows.map(([k, v]) => (
          <div key={k} className="flex gap-2">
            <dt className="min-w-40 text-slate-600">{k}</dt>
            <dd className="font-medium break-all">{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
