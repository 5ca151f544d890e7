import { zodResolver } from '@hookform/resolvers/zod';
import { useWatch, type Resolver } from 'react-hook-form';
import {
  ZBillingStep,
  ZCredentialsStep,
  ZOrganisationStep,
  ZSummaryStep,
  type TPlan,
  type TRegistrationContractInput,
} from '@/lib/validation/registration';
import type { StepKey } from './step-indicator';

/** What the wizard's inputs hold: text as typed, '' until a choice is made. */
export const EMPTY_VALUES = {
  plan: 'basis' as TPlan,
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
export type TWizardValues = typeof EMPTY_VALUES;
/** A field of one of the steps (the plan is chosen above them). */
export type TWizardField = Exclude<keyof TWizardValues, 'plan'>;

export const STEP_FIELDS: Record<StepKey, TWizardField[]> = {
  organisation: ['orgName', 'orgType', 'orgSize', 'specialty', 'bsnr', 'lanr', 'street', 'houseNumber', 'addressExtra', 'plz', 'city', 'salutation', 'title', 'firstName', 'lastName', 'email', 'phone', 'directoryVisible'],
  credentials: ['orgShortName', 'userShortName', 'password', 'passwordRepeat', 'masterPassword', 'masterPasswordRepeat', 'deviceName'],
  billing: ['accountHolder', 'iban', 'bic', 'sepaMandate'],
  summary: ['avvAccepted', 'credentialsNoted'],
};
const ALL_FIELDS = Object.values(STEP_FIELDS).flat();

export const isWizardField = (key: string): key is TWizardField => (ALL_FIELDS as string[]).includes(key);

/** The fields of every step but this one. */
export const otherFields = (step: StepKey) => ALL_FIELDS.filter((k) => !STEP_FIELDS[step].includes(k));

export function stepsFor(plan: TPlan): StepKey[] {
  return plan === 'plus' ? ['organisation', 'credentials', 'billing', 'summary'] : ['organisation', 'credentials', 'summary'];
}

/*
 * The server's step schemas as one. The wizard asks for one step's fields at a
 * time (`trigger(STEP_FIELDS[step])`), so the steps ahead stay silent. The
 * inputs hold the raw text ('' where nothing was chosen yet), which is what
 * the schemas are there to judge; only the static input types differ.
 */
const ZWizard = ZOrganisationStep.and(ZCredentialsStep).and(ZBillingStep).and(ZSummaryStep);
export const wizardResolver = zodResolver(ZWizard) as unknown as Resolver<TWizardValues>;

/** What the user typed about themselves: a password made of it is easy to guess. */
export const KNOWN_INPUT_FIELDS = ['orgShortName', 'userShortName', 'orgName', 'firstName', 'lastName', 'email'] as const;
export const knownInputsOf = (v: TWizardValues) => KNOWN_INPUT_FIELDS.map((k) => v[k]);

/** Every value of the wizard, as typed. */
export function useWizardValues(): TWizardValues {
  const watched = useWatch<TWizardValues>();
  // Every field has a default, so nothing is missing; the spread only says so to the type.
  return { ...EMPTY_VALUES, ...watched };
}

/** What creates the organisation: never the passwords, bank details only for "plus". The steps' schemas have passed. */
export function contractOf(v: TWizardValues): TRegistrationContractInput {
  const contract = {
    plan: v.plan,
    ...Object.fromEntries(STEP_FIELDS.organisation.map((k) => [k, v[k]])),
    orgShortName: v.orgShortName,
    userShortName: v.userShortName,
    deviceName: v.deviceName,
    ...(v.plan === 'plus' ? { accountHolder: v.accountHolder, iban: v.iban, bic: v.bic } : {}),
  };
  return contract as TRegistrationContractInput;
}

/** The server names the fields of the contract `contract.<field>`; the form knows them by `<field>`. */
export function serverFieldErrors(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k.replace(/^contract\./, '')] = v;
  return out;
}

/** The first step with a field the server found fault with. */
export const stepOfServerErrors = (steps: StepKey[], fields: Record<string, string>) =>
  steps.find((s) => STEP_FIELDS[s].some((k) => fields[k] || fields[`contract.${k}`]));
