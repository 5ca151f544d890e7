import { z } from 'zod';

import { isMessageKey, type TMessageKey } from './messages';
import {
  PASSWORD_MAX,
  PASSWORD_MIN,
  isValidBic,
  isValidBsnr,
  isValidEmail,
  isValidIban,
  isValidLanr,
  isValidPhone,
  isValidPlz,
  normalizeBic,
  normalizeIban,
  shortNameError,
} from './rules';

// ---------------------------------------------------------------------------
// Choices
// ---------------------------------------------------------------------------

export const ORG_TYPES = [
  'arztpraxis',
  'mvz',
  'krankenhaus',
  'beratungsstelle',
  'pflegeeinrichtung',
  'sonstige',
] as const;
export const ORG_SIZES = ['1-5', '6-20', '21-100', '100+'] as const;
export const SALUTATIONS = ['herr', 'frau', 'divers'] as const;
export const PLANS = ['basis', 'plus'] as const;

export type TOrgType = (typeof ORG_TYPES)[number];
export type TOrgSize = (typeof ORG_SIZES)[number];
export type TSalutation = (typeof SALUTATIONS)[number];
export type TPlan = (typeof PLANS)[number];

// ---------------------------------------------------------------------------
// Field builders
// ---------------------------------------------------------------------------

/*
 * Lengths are generous upper bounds that protect storage and layout; they are
 * not meant to reject real-world names. accountHolder uses the SEPA limit of
 * 70 characters because longer names are truncated by banks.
 */
const MAX = {
  orgName: 200,
  specialty: 200,
  street: 200,
  houseNumber: 20,
  addressExtra: 200,
  city: 100,
  title: 50,
  personName: 100,
  email: 254,
  phone: 30,
  accountHolder: 70,
  deviceName: 60,
} as const;

// A missing field is reported like an empty one so the form shows a single,
// familiar message; anything else of the wrong type is a client bug.
const typeError = (iss: { input?: unknown }): TMessageKey =>
  iss.input === undefined || iss.input === null ? 'required' : 'invalidType';

const choiceError = (iss: { input?: unknown }): TMessageKey =>
  iss.input === undefined || iss.input === null || iss.input === '' ? 'required' : 'invalidChoice';

const text = () => z.string({ error: typeError }).trim();

/*
 * Format checks skip the empty string so that an empty required field yields
 * exactly one issue ('required') instead of 'required' plus a format error.
 */
const requiredText = (max: number) => text().min(1, 'required').max(max, 'tooLong');

const optionalText = (max: number) => text().max(max, 'tooLong').optional();

const withFormat = (
  schema: z.ZodString,
  isValid: (s: string) => boolean,
  message: TMessageKey,
) => schema.refine((v) => v === '' || isValid(v), message);

const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: choiceError });

const mustAccept = () =>
  z.boolean({ error: 'mustAccept' }).refine((v) => v, 'mustAccept');

const shortName = () =>
  text()
    .min(1, 'required')
    .superRefine((v, ctx) => {
      if (v === '') return;
      const err = shortNameError(v);
      if (err) ctx.addIssue({ code: 'custom', message: err });
    });

// Passwords are neither trimmed nor otherwise altered: leading or trailing
// spaces may be intentional, and any change would silently lock users out.
const password = () =>
  z
    .string({ error: typeError })
    .min(1, 'required')
    .refine((v) => v === '' || v.length >= PASSWORD_MIN, 'passwordTooShort')
    .max(PASSWORD_MAX, 'passwordTooLong');

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null;

// Cross-field rules should also run when some unrelated field is missing, so
// the user sees every problem of the step at once.
const whenObject = { when: (p: { value: unknown }) => isRecord(p.value) };

const objectParams = { error: 'invalidType' } as const;

// ---------------------------------------------------------------------------
// Step 1: organisation and contact person
// ---------------------------------------------------------------------------

const organisationShape = {
  orgName: requiredText(MAX.orgName),
  orgType: choice(ORG_TYPES),
  orgSize: choice(ORG_SIZES),
  specialty: optionalText(MAX.specialty),
  bsnr: withFormat(text(), isValidBsnr, 'invalidBsnr').optional(),
  lanr: withFormat(text(), isValidLanr, 'invalidLanr').optional(),
  street: requiredText(MAX.street),
  houseNumber: requiredText(MAX.houseNumber),
  addressExtra: optionalText(MAX.addressExtra),
  plz: withFormat(text().min(1, 'required'), isValidPlz, 'invalidPlz'),
  city: requiredText(MAX.city),
  salutation: choice(SALUTATIONS),
  title: optionalText(MAX.title),
  firstName: requiredText(MAX.personName),
  lastName: requiredText(MAX.personName),
  email: withFormat(requiredText(MAX.email), isValidEmail, 'invalidEmail'),
  phone: withFormat(requiredText(MAX.phone), isValidPhone, 'invalidPhone'),
  directoryVisible: z.boolean({ error: typeError }).default(false),
};

export const ZOrganisationStep = z.object(organisationShape, objectParams);

// ---------------------------------------------------------------------------
// Step 2: credentials
// ---------------------------------------------------------------------------

const identityShape = {
  orgShortName: shortName(),
  userShortName: shortName(),
  deviceName: requiredText(MAX.deviceName),
};

export const ZCredentialsStep = z
  .object(
    {
      ...identityShape,
      password: password(),
      passwordRepeat: z.string({ error: typeError }),
      masterPassword: password(),
      masterPasswordRepeat: z.string({ error: typeError }),
    },
    objectParams,
  )
  .superRefine((d, ctx) => {
    const v: Record<string, unknown> = d;
    const pw = v.password;
    const master = v.masterPassword;
    if (typeof pw === 'string' && pw !== '' && v.passwordRepeat !== pw) {
      ctx.addIssue({ code: 'custom', path: ['passwordRepeat'], message: 'passwordMismatch' });
    }
    if (typeof master === 'string' && master !== '' && v.masterPasswordRepeat !== master) {
      ctx.addIssue({ code: 'custom', path: ['masterPasswordRepeat'], message: 'masterMismatch' });
    }
    // The master password protects the key material; if it equalled the login
    // password, whoever learns one would hold both.
    if (typeof master === 'string' && master !== '' && master === pw) {
      ctx.addIssue({ code: 'custom', path: ['masterPassword'], message: 'masterEqualsPassword' });
    }
  }, whenObject);

// ---------------------------------------------------------------------------
// Step 3: billing (plan "plus" only)
// ---------------------------------------------------------------------------

const billingShape = {
  accountHolder: requiredText(MAX.accountHolder),
  // Normalised to electronic format so the stored value does not depend on
  // how the user grouped the digits.
  iban: withFormat(text().min(1, 'required').overwrite(normalizeIban), isValidIban, 'invalidIban'),
  bic: withFormat(text().min(1, 'required').overwrite(normalizeBic), isValidBic, 'invalidBic'),
};

export const ZBillingStep = z.object(
  { ...billingShape, sepaMandate: mustAccept() },
  objectParams,
);

// ---------------------------------------------------------------------------
// Step 4: summary
// ---------------------------------------------------------------------------

export const ZSummaryStep = z.object(
  { avvAccepted: mustAccept(), credentialsNoted: mustAccept() },
  objectParams,
);

// ---------------------------------------------------------------------------
// Server contract
// ---------------------------------------------------------------------------

export const ZPlan = choice(PLANS);

const BILLING_FIELDS = ['accountHolder', 'iban', 'bic'] as const;

/**
 * What the client submits to create the organisation. Passwords are
 * deliberately not part of it; unknown keys are stripped, so a password field
 * sent along by mistake is dropped rather than passed on to persistence.
 *
 * Billing data is required for "plus" and must be absent for "basis", so no
 * bank details are stored for customers who are never debited.
 */
export const ZRegistrationContract = z
  .object(
    {
      plan: ZPlan,
      ...organisationShape,
      accountHolder: billingShape.accountHolder.optional(),
      iban: billingShape.iban.optional(),
      bic: billingShape.bic.optional(),
      ...identityShape,
    },
    objectParams,
  )
  .superRefine((d, ctx) => {
    const v: Record<string, unknown> = d;
    if (v.plan === 'plus') {
      for (const f of BILLING_FIELDS) {
        if (v[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'required' });
      }
    } else if (v.plan === 'basis') {
      for (const f of BILLING_FIELDS) {
        if (v[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'notAllowed' });
      }
    }
  }, whenObject);

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

export type TOrganisationStep = z.output<typeof ZOrganisationStep>;
export type TOrganisationStepInput = z.input<typeof ZOrganisationStep>;
export type TCredentialsStep = z.output<typeof ZCredentialsStep>;
export type TCredentialsStepInput = z.input<typeof ZCredentialsStep>;
export type TBillingStep = z.output<typeof ZBillingStep>;
export type TBillingStepInput = z.input<typeof ZBillingStep>;
export type TSummaryStep = z.output<typeof ZSummaryStep>;
export type TSummaryStepInput = z.input<typeof ZSummaryStep>;
export type TRegistrationContract = z.output<typeof ZRegistrationContract>;
export type TRegistrationContractInput = z.input<typeof ZRegistrationContract>;

// ---------------------------------------------------------------------------
// Error mapping
// ---------------------------------------------------------------------------

/**
 * One message key per field for the form, keyed by the dotted path ('' for
 * the object itself). The first issue wins because schemas list the most
 * basic problem first ('required' before format errors). Anything that is not
 * one of our keys (a default zod message from an unforeseen case) becomes
 * 'invalid' so the UI never shows untranslated English prose.
 */
export function issuesToFieldErrors(error: z.ZodError): Record<string, TMessageKey> {
  const out: Record<string, TMessageKey> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (!Object.hasOwn(out, key)) out[key] = isMessageKey(issue.message) ? issue.message : 'invalid';
  }
  return out;
}
