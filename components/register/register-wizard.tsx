'use client';
import { useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { usePasswordVerdict, weakPasswordErrors } from '@/components/ui/password-strength';
import { registerFlow } from '@/lib/client/flows';
import { ApiError } from '@/lib/client/api';
import { StepIndicator, type StepKey } from './step-indicator';
import { PlanChoice } from './plan-choice';
import { StepOrganisation } from './step-organisation';
import { StepCredentials } from './step-credentials';
import { StepBilling } from './step-billing';
import { StepSummary } from './step-summary';
import { PrintSheet } from './print-sheet';
import { useShortNameCheck } from './use-short-name-check';
import {
  EMPTY_VALUES,
  KNOWN_INPUT_FIELDS,
  STEP_FIELDS,
  contractOf,
  isWizardField,
  knownInputsOf,
  otherFields,
  serverFieldErrors,
  stepOfServerErrors,
  stepsFor,
  wizardResolver,
  type TWizardValues,
} from './wizard-form';

export function RegisterWizard() {
  const t = useTranslations('register');
  const tc = useTranslations('common');
  const locale = useLocale() as 'de' | 'en';
  const router = useRouter();
  const eMsg = useErrorMessage();
  const form = useForm<TWizardValues>({ defaultValues: EMPTY_VALUES, resolver: wizardResolver });
  const { control, getValues, trigger, setError, clearErrors, getFieldState } = form;
  const [step, setStep] = useState<StepKey>('organisation');
  const [formError, setFormError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [plan, orgShortName, password, masterPassword] = useWatch({ control, name: ['plan', 'orgShortName', 'password', 'masterPassword'] });
  const knownInputs = useWatch({ control, name: KNOWN_INPUT_FIELDS });
  const { shortName, markTaken } = useShortNameCheck(orgShortName);
  const strength = usePasswordVerdict(password, knownInputs);
  const masterStrength = usePasswordVerdict(masterPassword, knownInputs);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const steps = stepsFor(plan);
  const index = steps.indexOf(step);
  const busy = progress !== null;

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  // Passwords that are easy to guess (zxcvbn-ts) are refused; the meter says why.
  const weak = () => {
    const v = getValues();
    return weakPasswordErrors({ password: v.password, masterPassword: v.masterPassword }, knownInputsOf(v), locale);
  };

  /** The server's schemas on one step's fields; the errors shown are this step's only. */
  const checkSchema = async (s: StepKey) => {
    const valid = await trigger(STEP_FIELDS[s]);
    clearErrors(otherFields(s));
    return valid;
  };

  /** What only the browser knows (an easy password, a taken short name), on fields the schema found nothing wrong with; true if any. */
  const addBrowserErrors = (s: StepKey, extra: Record<string, string>) => {
    const found: Record<string, string> = { ...extra, ...(s === 'credentials' && shortName.state === 'taken' ? { orgShortName: 'shortNameTaken' } : {}) };
    let added = false;
    for (const k of STEP_FIELDS[s]) {
      if (!found[k] || getFieldState(k).error) continue;
      setError(k, { type: 'validate', message: found[k] });
      added = true;
    }
    return added;
  };

  const validateStep = async (s: StepKey, extra: Record<string, string> = {}) => {
    const valid = await checkSchema(s);
    return !addBrowserErrors(s, extra) && valid;
  };

  /** Shows these messages, and no others: what the server said about the fields. */
  const showErrors = (messages: Record<string, string>) => {
    clearErrors();
    for (const [k, message] of Object.entries(messages)) if (message && isWizardField(k)) setError(k, { type: 'server', message });
  };

  const next = async () => {
    setFormError(null);
    if (!(await validateStep(step, step === 'credentials' ? await weak() : {}))) return;
    setStep(steps[index + 1]);
  };
  const back = () => {
    setFormError(null);
    clearErrors();
    setStep(steps[index - 1]);
  };

  const finish = async () => {
    setFormError(null);
    if (!(await validateStep('summary'))) return;
    const weakErrors = await weak();
    // Every step again, in order: the first with a fault is shown with it.
    for (const s of steps) {
      const extra = s === 'credentials' ? weakErrors : {};
      if (!(await checkSchema(s)) || Object.keys(extra).length > 0) {
        addBrowserErrors(s, extra);
        setStep(s);
        return;
      }
    }
    setProgress(0);
    const values = getValues();
    try {
      await registerFlow({
        contract: contractOf(values),
        password: values.password,
        masterPassword: values.masterPassword,
        locale,
        onProgress: setProgress,
      });
      router.push('/app');
    } catch (e) {
      setProgress(null);
      if (e instanceof ApiError && e.fields) {
        const target = stepOfServerErrors(steps, e.fields);
        if (target) {
          setStep(target);
          showErrors(serverFieldErrors(e.fields));
        }
      }
      if (e instanceof ApiError && e.code === 'short_name_taken') {
        markTaken(values.orgShortName.trim());
        setStep('credentials');
        showErrors({ orgShortName: 'shortNameTaken' });
      }
      setFormError(errorText(eMsg, e));
    }
  };

  return (
    <FormProvider {...form}>
      <div>
        <div className="no-print">
          <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('intro')}</p>

          <PlanChoice disabled={busy || step !== 'organisation'} />

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

            {step === 'organisation' && <StepOrganisation />}
            {step === 'credentials' && <StepCredentials shortName={shortName} strength={strength} masterStrength={masterStrength} />}
            {step === 'billing' && <StepBilling />}
            {step === 'summary' && <StepSummary onEdit={setStep} />}

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

        <PrintSheet />
      </div>
    </FormProvider>
  );
}
