// Pure rules for SMS recipients and senders; used by the server, the settings
// page and the appointment form alike.

import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { parsePhoneNumberFromString as parseAnyPhone } from 'libphonenumber-js/min';

export type PhoneError = 'required' | 'invalidPhone' | 'invalidMobile' | 'phoneCountry';
export type PhoneResult = { ok: true; e164: string; country: string } | { ok: false; error: PhoneError };

/** Where Konsil sends SMS unless the operator says otherwise: the EU and the EEA (Germany first). */
export const SMS_COUNTRIES_DEFAULT = [
  'DE', 'AT', 'BE', 'BG', 'CY', 'CZ', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
  'IS', 'LI', 'NO',
] as const;

/**
 * A mobile number as people type it — "0171 2345678", "+49 171 …", "0049 171 …",
 * "0171/2345678", "+49 (0)171 234-5678" — read with Germany as the default
 * country (libphonenumber-js, mobile metadata) and returned in E.164. Only
 * mobile numbers of the allowed countries pass: an SMS to a landline or to a
 * premium or far-away destination is refused before it costs anything.
 */
export function normalizePhone(input: string, opts: { countries?: readonly string[] } = {}): PhoneResult {
  const v = (input ?? '').trim();
  if (!v) return { ok: false, error: 'required' };
  if (!/^[+0-9 ()./-]+$/.test(v) || !/\d/.test(v)) return { ok: false, error: 'invalidPhone' };
  // "+49 (0)171 …": the national trunk prefix written in brackets is dropped; "0049" is "+49".
  const cleaned = v.replace(/\(0\)/g, '').replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(cleaned, 'DE');
  if (!parsed) return { ok: false, error: 'invalidPhone' };
  if (!parsed.isValid()) return { ok: false, error: parsed.isPossible() ? 'invalidMobile' : 'invalidPhone' };
  const countries = opts.countries ?? SMS_COUNTRIES_DEFAULT;
  if (!parsed.country || !countries.includes(parsed.country)) return { ok: false, error: 'phoneCountry' };
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/**
 * A patient's contact number (landline or mobile, any country), as typed, with
 * Germany as the default country: the international form to store and show
 * ("+49 30 1234567"), or null if it is no phone number.
 */
export function normalizeContactPhone(input: string): string | null {
  const v = (input ?? '').trim();
  if (!/^[+0-9 ()./-]+$/.test(v) || !/\d/.test(v)) return null;
  const parsed = parseAnyPhone(v.replace(/\(0\)/g, '').replace(/^00(?=[1-9])/, '+'), 'DE');
  return parsed?.isValid() ? parsed.formatInternational() : null;
}

/** Sender ID as SMS networks accept it: up to 11 letters/digits (with one letter), or up to 16 digits. */
export function isValidSmsSender(s: string): boolean {
  const v = s.trim();
  if (/^\+?[0-9]{1,16}$/.test(v)) return true;
  return /^[A-Za-z0-9 .-]{1,11}$/.test(v) && /[A-Za-z]/.test(v);
}

/** Characters of the GSM 03.38 default alphabet (one septet each; € and a few others take two). */
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXT = '^{}\\[~]|€\f';

/** Length in SMS characters, and whether the text fits the GSM alphabet (else UCS-2, 70 per SMS). */
export function smsLength(text: string): { gsm7: boolean; units: number; parts: number } {
  let units = 0;
  let gsm7 = true;
  for (const ch of text) {
    if (GSM7.includes(ch)) units += 1;
    else if (GSM7_EXT.includes(ch)) units += 2;
    else gsm7 = false;
  }
  if (!gsm7) {
    const u = [...text].reduce((n, ch) => n + (ch.codePointAt(0)! > 0xffff ? 2 : 1), 0);
    return { gsm7, units: u, parts: u <= 70 ? 1 : Math.ceil(u / 67) };
  }
  return { gsm7, units, parts: units <= 160 ? 1 : Math.ceil(units / 153) };
}
