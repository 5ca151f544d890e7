import { describe, expect, it } from 'vitest';
import { isValidSmsSender, normalizeContactPhone, normalizePhone, smsLength } from './phone';

describe('normalizePhone (SMS recipients)', () => {
  it('accepts mobile numbers as people type them, with Germany as the default country, and returns E.164', () => {
    for (const typed of ['0171 2345678', '+49 171 2345678', '0049 171 2345678', '0171/2345678', ' +49 (0)171 234-56/78 ', '0171-2345678', '171 2345678']) {
      expect(normalizePhone(typed), typed).toEqual({ ok: true, e164: '+491712345678', country: 'DE' });
    }
    expect(normalizePhone('+43 664 1234567')).toEqual({ ok: true, e164: '+436641234567', country: 'AT' });
    expect(normalizePhone('+31 6 12345678')).toEqual({ ok: true, e164: '+31612345678', country: 'NL' });
  });
  it('refuses landlines and service numbers: no SMS can reach them', () => {
    expect(normalizePhone('030 1234567')).toEqual({ ok: false, error: 'invalidMobile' });
    expect(normalizePhone('0900 1234567')).toEqual({ ok: false, error: 'invalidMobile' });
  });
  it('sends only to the EU and EEA by default; the operator may allow other countries', () => {
    expect(normalizePhone('+1 415 555 0100')).toEqual({ ok: false, error: 'phoneCountry' });
    expect(normalizePhone('+41 79 123 45 67')).toEqual({ ok: false, error: 'phoneCountry' });
    expect(normalizePhone('+41 79 123 45 67', { countries: ['DE', 'CH'] })).toEqual({ ok: true, e164: '+41791234567', country: 'CH' });
    expect(normalizePhone('+43 664 1234567', { countries: ['DE'] })).toEqual({ ok: false, error: 'phoneCountry' });
  });
  it('refuses anything else', () => {
    expect(normalizePhone('')).toEqual({ ok: false, error: 'required' });
    expect(normalizePhone('+49 abc')).toEqual({ ok: false, error: 'invalidPhone' });
    expect(normalizePhone('+49 12')).toEqual({ ok: false, error: 'invalidPhone' });
    expect(normalizePhone('+49\n171')).toEqual({ ok: false, error: 'invalidPhone' });
    expect(normalizePhone('---')).toEqual({ ok: false, error: 'invalidPhone' });
  });
});

describe('normalizeContactPhone (a patient\'s number on the appointment)', () => {
  it('takes landlines and mobiles as typed and shows them internationally', () => {
    expect(normalizeContactPhone('030 1234567')).toBe('+49 30 1234567');
    expect(normalizeContactPhone('0171/2345678')).toBe('+49 171 2345678');
    expect(normalizeContactPhone('+1 415 555 0100')).toBe('+1 415 555 0100');
    expect(normalizeContactPhone('12')).toBeNull();
    expect(normalizeContactPhone('Praxis')).toBeNull();
  });
});

describe('SMS sender and length', () => {
  it('accepts alphanumeric senders up to 11 and numeric up to 16 characters', () => {
    expect(isValidSmsSender('Praxis Dr M')).toBe(true);
    expect(isValidSmsSender('PraxisMuell')).toBe(true);
    expect(isValidSmsSender('PraxisMueller')).toBe(false);
    expect(isValidSmsSender('+4917112345678')).toBe(true);
    expect(isValidSmsSender('Praxis_Ü')).toBe(false);
    expect(isValidSmsSender('')).toBe(false);
  });
  it('counts GSM characters, extension characters and UCS-2 texts', () => {
    expect(smsLength('Grüße aus der Praxis')).toMatchObject({ gsm7: true, units: 20, parts: 1 });
    expect(smsLength('a'.repeat(160))).toMatchObject({ parts: 1 });
    expect(smsLength('a'.repeat(161))).toMatchObject({ parts: 2 });
    expect(smsLength('€')).toMatchObject({ gsm7: true, units: 2 });
    expect(smsLength('„Termin“')).toMatchObject({ gsm7: false, units: 8, parts: 1 });
  });
});
