import { describe, expect, it } from 'vitest';
import { isValidSmsSender, normalizePhone, smsLength } from './phone';

describe('normalizePhone', () => {
  it('accepts international numbers in common notations and returns E.164', () => {
    expect(normalizePhone('+49 171 2345678')).toEqual({ ok: true, e164: '+491712345678' });
    expect(normalizePhone(' +49 (0)171 234-56/78 ')).toEqual({ ok: true, e164: '+491712345678' });
    expect(normalizePhone('+43 664 1234567')).toEqual({ ok: true, e164: '+436641234567' });
    expect(normalizePhone('+1 (415) 555-0100')).toEqual({ ok: true, e164: '+14155550100' });
  });
  it('asks for +49 … instead of guessing the country of a national number', () => {
    expect(normalizePhone('0171 2345678')).toEqual({ ok: false, error: 'phoneInternational' });
    expect(normalizePhone('0049 171 2345678')).toEqual({ ok: false, error: 'phoneInternational' });
    expect(normalizePhone('171/2345678')).toEqual({ ok: false, error: 'phoneInternational' });
  });
  it('refuses anything else', () => {
    expect(normalizePhone('')).toEqual({ ok: false, error: 'required' });
    expect(normalizePhone('+49 abc')).toEqual({ ok: false, error: 'invalidPhone' });
    expect(normalizePhone('+0 171 2345678')).toEqual({ ok: false, error: 'invalidPhone' });
    expect(normalizePhone('+49 12')).toEqual({ ok: false, error: 'invalidPhone' });
    expect(normalizePhone('+49 1712 3456 7890 1234')).toEqual({ ok: false, error: 'invalidPhone' });
    expect(normalizePhone('+49\n171')).toEqual({ ok: false, error: 'invalidPhone' });
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
