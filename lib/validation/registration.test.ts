import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { isMessageKey } from './messages';
import {
  ZBillingStep,
  ZCredentialsStep,
  ZOrganisationStep,
  ZPlan,
  ZRegistrationContract,
  ZSummaryStep,
  issuesToFieldErrors,
} from './registration';

/** Field errors of a failed parse; fails the test if parsing succeeded. */
function errorsOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`expected failure for ${JSON.stringify(input)}`);
  return issuesToFieldErrors(r.error);
}

/** All raw issue messages for one path, to assert that exactly one is reported. */
function messagesAt(schema: z.ZodType, input: unknown, path: string): string[] {
  const r = schema.safeParse(input);
  if (r.success) return [];
  return r.error.issues.filter((i) => i.path.join('.') === path).map((i) => i.message);
}

const org = {
  orgName: 'Praxis Dr. Müller',
  orgType: 'arztpraxis',
  orgSize: '1-5',
  specialty: '',
  bsnr: '',
  lanr: '',
  street: 'Hauptstraße',
  houseNumber: '12a',
  addressExtra: '',
  plz: '10115',
  city: 'Berlin',
  salutation: 'frau',
  title: 'Dr. med.',
  firstName: 'Anna',
  lastName: 'Müller',
  email: 'anna@praxis-mueller.de',
  phone: '+49 30 1234567',
};

const credentials = {
  orgShortName: 'praxis-mueller',
  userShortName: 'anna.mueller',
  deviceName: 'Empfang PC',
  password: 'Linde#Weg7Blau',
  passwordRepeat: 'Linde#Weg7Blau',
  masterPassword: 'Tanne!Fluss3Rot',
  masterPasswordRepeat: 'Tanne!Fluss3Rot',
};

const billing = {
  accountHolder: 'Dr. Anna Müller',
  iban: 'de89 3704 0044 0532 0130 00',
  bic: 'cobadeffxxx',
  sepaMandate: true,
};

const identity = {
  orgShortName: credentials.orgShortName,
  userShortName: credentials.userShortName,
  deviceName: credentials.deviceName,
};

describe('ZOrganisationStep', () => {
  it('accepts a complete organisation and trims strings', () => {
    const r = ZOrganisationStep.parse({ ...org, city: '  Berlin ', orgName: ' Praxis Dr. Müller\n' });
    expect(r.city).toBe('Berlin');
    expect(r.orgName).toBe('Praxis Dr. Müller');
    expect(r.directoryVisible).toBe(false);
  });

  it('keeps an explicit directoryVisible', () => {
    expect(ZOrganisationStep.parse({ ...org, directoryVisible: true }).directoryVisible).toBe(true);
  });

  it('allows optional fields to be empty or missing', () => {
    const { specialty, bsnr, lanr, addressExtra, title, ...rest } = org;
    void [specialty, bsnr, lanr, addressExtra, title];
    expect(ZOrganisationStep.safeParse(rest).success).toBe(true);
  });

  it('reports exactly "required" for empty, blank or missing required fields', () => {
    for (const field of ['orgName', 'street', 'houseNumber', 'plz', 'city', 'firstName', 'lastName', 'email', 'phone']) {
      for (const value of ['', '   ', undefined]) {
        expect(messagesAt(ZOrganisationStep, { ...org, [field]: value }, field), `${field}=${JSON.stringify(value)}`).toEqual([
          'required',
        ]);
      }
    }
    for (const field of ['orgType', 'orgSize', 'salutation']) {
      expect(errorsOf(ZOrganisationStep, { ...org, [field]: '' })[field]).toBe('required');
      expect(errorsOf(ZOrganisationStep, { ...org, [field]: undefined })[field]).toBe('required');
    }
  });

  it('rejects unknown choices', () => {
    expect(errorsOf(ZOrganisationStep, { ...org, orgType: 'apotheke' })).toEqual({ orgType: 'invalidChoice' });
    expect(errorsOf(ZOrganisationStep, { ...org, orgSize: '5-10' })).toEqual({ orgSize: 'invalidChoice' });
    expect(errorsOf(ZOrganisationStep, { ...org, salutation: 'Herr' })).toEqual({ salutation: 'invalidChoice' });
  });

  it('enforces maximum lengths', () => {
    expect(errorsOf(ZOrganisationStep, { ...org, orgName: 'x'.repeat(201) })).toEqual({ orgName: 'tooLong' });
    expect(ZOrganisationStep.safeParse({ ...org, orgName: 'x'.repeat(200) }).success).toBe(true);
    expect(errorsOf(ZOrganisationStep, { ...org, houseNumber: '1'.repeat(21) })).toEqual({ houseNumber: 'tooLong' });
    expect(errorsOf(ZOrganisationStep, { ...org, title: 'x'.repeat(51) })).toEqual({ title: 'tooLong' });
    expect(errorsOf(ZOrganisationStep, { ...org, specialty: 'x'.repeat(201) })).toEqual({ specialty: 'tooLong' });
  });

  it('validates BSNR and LANR only when given', () => {
    expect(ZOrganisationStep.safeParse({ ...org, bsnr: '381234500', lanr: '123456601' }).success).toBe(true);
    expect(ZOrganisationStep.safeParse({ ...org, lanr: '999999999' }).success).toBe(true);
    expect(errorsOf(ZOrganisationStep, { ...org, bsnr: '001234567' })).toEqual({ bsnr: 'invalidBsnr' });
    expect(errorsOf(ZOrganisationStep, { ...org, bsnr: '12345678' })).toEqual({ bsnr: 'invalidBsnr' });
    expect(errorsOf(ZOrganisationStep, { ...org, lanr: '123456501' })).toEqual({ lanr: 'invalidLanr' });
    expect(ZOrganisationStep.parse({ ...org, bsnr: '  ' }).bsnr).toBe('');
  });

  it('validates PLZ, e-mail and phone formats', () => {
    expect(ZOrganisationStep.safeParse({ ...org, plz: '99999' }).success).toBe(true);
    expect(errorsOf(ZOrganisationStep, { ...org, plz: '1234' })).toEqual({ plz: 'invalidPlz' });
    expect(errorsOf(ZOrganisationStep, { ...org, plz: 'abcde' })).toEqual({ plz: 'invalidPlz' });
    expect(errorsOf(ZOrganisationStep, { ...org, email: 'anna@praxis' })).toEqual({ email: 'invalidEmail' });
    expect(errorsOf(ZOrganisationStep, { ...org, phone: '12345' })).toEqual({ phone: 'invalidPhone' });
  });

  it('reports wrong types as keys too', () => {
    expect(errorsOf(ZOrganisationStep, { ...org, directoryVisible: 'yes' })).toEqual({ directoryVisible: 'invalidType' });
    expect(errorsOf(ZOrganisationStep, { ...org, plz: 10115 })).toEqual({ plz: 'invalidType' });
    expect(errorsOf(ZOrganisationStep, null)).toEqual({ '': 'invalidType' });
  });
});

describe('ZCredentialsStep', () => {
  it('accepts valid credentials and keeps the display form of short names', () => {
    const r = ZCredentialsStep.parse({ ...credentials, orgShortName: '  Praxis-Müller ' });
    expect(r.orgShortName).toBe('Praxis-Müller');
  });

  it('rejects invalid short names with specific keys', () => {
    expect(errorsOf(ZCredentialsStep, { ...credentials, orgShortName: 'a' })).toEqual({ orgShortName: 'tooShort' });
    expect(errorsOf(ZCredentialsStep, { ...credentials, orgShortName: 'x'.repeat(41) })).toEqual({ orgShortName: 'tooLong' });
    expect(errorsOf(ZCredentialsStep, { ...credentials, userShortName: 'anna mueller' })).toEqual({
      userShortName: 'invalidShortName',
    });
    expect(errorsOf(ZCredentialsStep, { ...credentials, userShortName: '.anna' })).toEqual({
      userShortName: 'invalidShortName',
    });
    expect(messagesAt(ZCredentialsStep, { ...credentials, userShortName: '  ' }, 'userShortName')).toEqual(['required']);
  });

  it('enforces password length 10..256', () => {
    const withPw = (pw: string) => ({ ...credentials, password: pw, passwordRepeat: pw });
    expect(errorsOf(ZCredentialsStep, withPw('Ab1#xyzqr'))).toEqual({ password: 'passwordTooShort' });
    expect(ZCredentialsStep.safeParse(withPw('Ab1#xyzqrs')).success).toBe(true);
    expect(ZCredentialsStep.safeParse(withPw('Ab1#'.repeat(32))).success).toBe(true);
    expect(ZCredentialsStep.safeParse(withPw('Ab1#'.repeat(64))).success).toBe(true);
    expect(errorsOf(ZCredentialsStep, withPw('Ab1#'.repeat(64) + 'x'))).toEqual({ password: 'passwordTooLong' });
    expect(messagesAt(ZCredentialsStep, withPw(''), 'password')).toEqual(['required']);
  });

  it('applies the same length rules to the master password', () => {
    const withMaster = (pw: string) => ({ ...credentials, masterPassword: pw, masterPasswordRepeat: pw });
    expect(errorsOf(ZCredentialsStep, withMaster('Ab1#xyz'))).toEqual({ masterPassword: 'passwordTooShort' });
    expect(errorsOf(ZCredentialsStep, withMaster('x'.repeat(257)))).toEqual({ masterPassword: 'passwordTooLong' });
    expect(messagesAt(ZCredentialsStep, withMaster(''), 'masterPassword')).toEqual(['required']);
  });

  it('reports a password mismatch on passwordRepeat only', () => {
    const e = errorsOf(ZCredentialsStep, { ...credentials, passwordRepeat: 'Linde#Weg7Blau ' });
    expect(e).toEqual({ passwordRepeat: 'passwordMismatch' });
  });

  it('reports a master mismatch on masterPasswordRepeat only', () => {
    const e = errorsOf(ZCredentialsStep, { ...credentials, masterPasswordRepeat: 'tanne!Fluss3Rot' });
    expect(e).toEqual({ masterPasswordRepeat: 'masterMismatch' });
  });

  it('rejects a master password equal to the login password', () => {
    const e = errorsOf(ZCredentialsStep, {
      ...credentials,
      masterPassword: credentials.password,
      masterPasswordRepeat: credentials.password,
    });
    expect(e).toEqual({ masterPassword: 'masterEqualsPassword' });
  });

  it('does not trim passwords', () => {
    const pw = '  Linde#Weg7Blau  ';
    const r = ZCredentialsStep.parse({ ...credentials, password: pw, passwordRepeat: pw });
    expect(r.password).toBe(pw);
    expect(errorsOf(ZCredentialsStep, { ...credentials, password: pw })).toEqual({ passwordRepeat: 'passwordMismatch' });
  });

  it('reports cross-field problems together with other field errors', () => {
    const { deviceName, ...rest } = credentials;
    void deviceName;
    const e = errorsOf(ZCredentialsStep, { ...rest, passwordRepeat: 'other' });
    expect(e).toEqual({ deviceName: 'required', passwordRepeat: 'passwordMismatch' });
  });

  it('requires a device name of at most 60 characters', () => {
    expect(errorsOf(ZCredentialsStep, { ...credentials, deviceName: ' ' })).toEqual({ deviceName: 'required' });
    expect(errorsOf(ZCredentialsStep, { ...credentials, deviceName: 'x'.repeat(61) })).toEqual({ deviceName: 'tooLong' });
    expect(ZCredentialsStep.safeParse({ ...credentials, deviceName: 'x'.repeat(60) }).success).toBe(true);
  });
});

describe('ZBillingStep', () => {
  it('accepts valid data and normalises IBAN and BIC', () => {
    const r = ZBillingStep.parse(billing);
    expect(r.iban).toBe('DE89370400440532013000');
    expect(r.bic).toBe('COBADEFFXXX');
    expect(ZBillingStep.safeParse({ ...billing, bic: 'DEUTDEDB' }).success).toBe(true);
  });

  it('rejects invalid IBAN and BIC', () => {
    expect(errorsOf(ZBillingStep, { ...billing, iban: 'DE89 3704 0044 0532 0130 01' })).toEqual({ iban: 'invalidIban' });
    expect(errorsOf(ZBillingStep, { ...billing, bic: 'DEUTDEDBX' })).toEqual({ bic: 'invalidBic' });
    expect(errorsOf(ZBillingStep, { ...billing, bic: 'DEUTXXDB' })).toEqual({ bic: 'invalidBic' });
  });

  it('requires all fields and the SEPA mandate', () => {
    expect(messagesAt(ZBillingStep, { ...billing, iban: '  ' }, 'iban')).toEqual(['required']);
    expect(messagesAt(ZBillingStep, { ...billing, bic: '' }, 'bic')).toEqual(['required']);
    expect(errorsOf(ZBillingStep, { ...billing, accountHolder: '' })).toEqual({ accountHolder: 'required' });
    expect(errorsOf(ZBillingStep, { ...billing, accountHolder: 'x'.repeat(71) })).toEqual({ accountHolder: 'tooLong' });
    expect(errorsOf(ZBillingStep, { ...billing, sepaMandate: false })).toEqual({ sepaMandate: 'mustAccept' });
    expect(errorsOf(ZBillingStep, { ...billing, sepaMandate: undefined })).toEqual({ sepaMandate: 'mustAccept' });
    expect(errorsOf(ZBillingStep, { ...billing, sepaMandate: 'true' })).toEqual({ sepaMandate: 'mustAccept' });
  });
});

describe('ZSummaryStep', () => {
  it('requires both confirmations', () => {
    expect(ZSummaryStep.safeParse({ avvAccepted: true, credentialsNoted: true }).success).toBe(true);
    expect(errorsOf(ZSummaryStep, { avvAccepted: false, credentialsNoted: true })).toEqual({ avvAccepted: 'mustAccept' });
    expect(errorsOf(ZSummaryStep, {})).toEqual({ avvAccepted: 'mustAccept', credentialsNoted: 'mustAccept' });
  });
});

describe('ZPlan', () => {
  it('accepts the two plans only', () => {
    expect(ZPlan.parse('basis')).toBe('basis');
    expect(ZPlan.parse('plus')).toBe('plus');
    expect(ZPlan.safeParse('premium').success).toBe(false);
  });
});

describe('ZRegistrationContract', () => {
  const bank = { accountHolder: billing.accountHolder, iban: billing.iban, bic: billing.bic };

  it('accepts plan basis without billing data', () => {
    const r = ZRegistrationContract.parse({ plan: 'basis', ...org, ...identity });
    expect(r.plan).toBe('basis');
    expect(r.iban).toBeUndefined();
  });

  it('accepts plan plus with billing data and normalises it', () => {
    const r = ZRegistrationContract.parse({ plan: 'plus', ...org, ...identity, ...bank });
    expect(r.iban).toBe('DE89370400440532013000');
    expect(r.bic).toBe('COBADEFFXXX');
  });

  it('requires billing data for plus', () => {
    expect(errorsOf(ZRegistrationContract, { plan: 'plus', ...org, ...identity })).toEqual({
      accountHolder: 'required',
      iban: 'required',
      bic: 'required',
    });
    expect(errorsOf(ZRegistrationContract, { plan: 'plus', ...org, ...identity, ...bank, bic: undefined })).toEqual({
      bic: 'required',
    });
    expect(errorsOf(ZRegistrationContract, { plan: 'plus', ...org, ...identity, ...bank, iban: '' })).toEqual({
      iban: 'required',
    });
    expect(errorsOf(ZRegistrationContract, { plan: 'plus', ...org, ...identity, ...bank, iban: 'DE00 1234' })).toEqual({
      iban: 'invalidIban',
    });
  });

  it('rejects billing data for basis', () => {
    expect(errorsOf(ZRegistrationContract, { plan: 'basis', ...org, ...identity, ...bank })).toEqual({
      accountHolder: 'notAllowed',
      iban: 'notAllowed',
      bic: 'notAllowed',
    });
    expect(errorsOf(ZRegistrationContract, { plan: 'basis', ...org, ...identity, iban: bank.iban })).toEqual({
      iban: 'notAllowed',
    });
  });

  it('still checks the billing rule when other fields are missing', () => {
    const { city, ...rest } = org;
    void city;
    expect(errorsOf(ZRegistrationContract, { plan: 'plus', ...rest, ...identity })).toEqual({
      city: 'required',
      accountHolder: 'required',
      iban: 'required',
      bic: 'required',
    });
  });

  it('requires a valid plan', () => {
    expect(errorsOf(ZRegistrationContract, { ...org, ...identity })).toEqual({ plan: 'required' });
    expect(errorsOf(ZRegistrationContract, { plan: 'premium', ...org, ...identity })).toEqual({ plan: 'invalidChoice' });
  });

  it('validates identity fields and never passes passwords or UI confirmations on', () => {
    expect(errorsOf(ZRegistrationContract, { plan: 'basis', ...org, ...identity, userShortName: 'a b' })).toEqual({
      userShortName: 'invalidShortName',
    });
    const r = ZRegistrationContract.parse({
      plan: 'plus',
      ...org,
      ...credentials,
      ...billing,
      avvAccepted: true,
    });
    expect(r).not.toHaveProperty('password');
    expect(r).not.toHaveProperty('passwordRepeat');
    expect(r).not.toHaveProperty('masterPassword');
    expect(r).not.toHaveProperty('masterPasswordRepeat');
    expect(r).not.toHaveProperty('sepaMandate');
    expect(r).not.toHaveProperty('avvAccepted');
  });
});

describe('issuesToFieldErrors', () => {
  it('keeps the first issue per dotted path and maps foreign messages to "invalid"', () => {
    const err = new z.ZodError([
      { code: 'custom', path: ['a'], message: 'required', input: '' },
      { code: 'custom', path: ['a'], message: 'tooShort', input: '' },
      { code: 'custom', path: ['b', 0, 'c'], message: 'invalidIban', input: '' },
      { code: 'custom', path: [], message: 'Invalid input', input: null },
      { code: 'custom', path: ['constructor'], message: 'required', input: null },
    ]);
    expect(issuesToFieldErrors(err)).toEqual({
      a: 'required',
      'b.0.c': 'invalidIban',
      '': 'invalid',
      constructor: 'required',
    });
  });

  it('only ever produces message keys for garbage input', () => {
    const schemas = [ZOrganisationStep, ZCredentialsStep, ZBillingStep, ZSummaryStep, ZRegistrationContract, ZPlan];
    const inputs: unknown[] = [
      undefined,
      null,
      42,
      'x',
      [],
      {},
      { plan: 'plus', orgType: 7, email: [], directoryVisible: 'no', iban: {}, password: 1 },
    ];
    for (const s of schemas) {
      for (const input of inputs) {
        const r = s.safeParse(input);
        if (r.success) continue;
        for (const issue of r.error.issues) {
          expect(isMessageKey(issue.message), `${issue.path.join('.')}: ${issue.message}`).toBe(true);
        }
      }
    }
  });
});
