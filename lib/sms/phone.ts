// Pure rules for SMS recipients and senders; used by the server and the
// settings page alike.

export type PhoneResult = { ok: true; e164: string } | { ok: false; error: 'required' | 'phoneInternational' | 'invalidPhone' };

/**
 * Accepts only international numbers ("+49 171 2345678", "+49 (0)171 234-5678")
 * and returns them in E.164 ("+491712345678"). A national number ("0171 …",
 * "0049 …") is refused with `phoneInternational`, so the practice is asked
 * for "+49 …" instead of the server guessing a country.
 */
export function normalizePhone(input: string): PhoneResult {
  const v = (input ?? '').trim();
  if (!v) return { ok: false, error: 'required' };
  if (!/^[+0-9 ()./-]+$/.test(v)) return { ok: false, error: 'invalidPhone' };
  if (!v.startsWith('+')) return { ok: false, error: /\d/.test(v) ? 'phoneInternational' : 'invalidPhone' };
  // "+49 (0)171 …": the national trunk prefix written in brackets is dropped.
  const compact = v.replace(/\(0\)/g, '').replace(/[ ()./-]/g, '');
  if (!/^\+[1-9][0-9]{6,14}$/.test(compact)) return { ok: false, error: 'invalidPhone' };
  return { ok: true, e164: compact };
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
