import {
  electronicFormatIBAN,
  friendlyFormatIBAN,
  isValidBIC,
  isValidIBAN,
} from 'ibantools';

/*
 * The predicates below trim their input themselves: the UI may validate on
 * blur before any schema has trimmed the value, and a stray space must not
 * flip the verdict between client and server.
 */

// ---------------------------------------------------------------------------
// Short names (organisation and user handles)
// ---------------------------------------------------------------------------

export const SHORT_NAME_MIN = 2;
export const SHORT_NAME_MAX = 40;

/**
 * Canonical form for uniqueness checks and look-ups. NFC first so that an
 * umlaut typed as "u + combining diaeresis" (macOS input, copy-paste from PDFs)
 * and the precomposed "ü" compare equal. `toLowerCase` rather than
 * `toLocaleLowerCase` so the result never depends on the runtime locale
 * (Turkish dotted/dotless i would otherwise differ between browser and server).
 */
export function normalizeShortName(s: string): string {
  return s.trim().normalize('NFC').toLowerCase();
}

// Separators only between alphanumerics so handles cannot look like paths or
// hidden files (".praxis") and stay readable in "user@org"-style displays.
const SHORT_NAME_RE = /^[\p{L}\p{Nd}](?:[\p{L}\p{M}\p{Nd}._-]*[\p{L}\p{M}\p{Nd}])?$/u;

/**
 * Why a short name is rejected, or null. Length is counted in code points of
 * the NFC form, so "Müller" is 6 whether or not the ü arrived decomposed and
 * characters outside the BMP are not counted twice.
 */
export function shortNameError(s: string): 'tooShort' | 'tooLong' | 'invalidShortName' | null {
  const v = s.trim().normalize('NFC');
  const len = Array.from(v).length;
  if (len < SHORT_NAME_MIN) return 'tooShort';
  if (len > SHORT_NAME_MAX) return 'tooLong';
  return SHORT_NAME_RE.test(v) ? null : 'invalidShortName';
}

export function isValidShortName(s: string): boolean {
  return shortNameError(s) === null;
}

// ---------------------------------------------------------------------------
// German identifiers
// ---------------------------------------------------------------------------

/** '99999' is the agreed placeholder for addresses outside Germany. */
export const PLZ_FOREIGN_PLACEHOLDER = '99999';

export function isValidPlz(s: string): boolean {
  return /^[0-9]{5}$/.test(s.trim());
}

/** Placeholder LANR for physicians who have none (yet). */
export const LANR_PLACEHOLDER = '999999999';

const LANR_WEIGHTS = [4, 9, 4, 9, 4, 9] as const;

/**
 * Check digit of a LANR (7th digit) from its first six digits, following the
 * KBV scheme: weights 4,9,4,9,4,9, sum modulo 10, subtracted from 10, with 10
 * mapped to 0. Returns null if the input is not six ASCII digits.
 */
export function lanrCheckDigit(firstSix: string): number | null {
  if (!/^[0-9]{6}$/.test(firstSix)) return null;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(firstSix[i]) * LANR_WEIGHTS[i];
  return (10 - (sum % 10)) % 10;
}

/**
 * LANR = 6-digit physician number + check digit + 2-digit specialty group.
 * The placeholder is accepted explicitly so that it keeps working even if the
 * check-digit rule is ever tightened (it happens to satisfy the checksum today).
 */
export function isValidLanr(s: string): boolean {
  const v = s.trim();
  if (v === LANR_PLACEHOLDER) return true;
  if (!/^[0-9]{9}$/.test(v)) return false;
  return lanrCheckDigit(v.slice(0, 6)) === Number(v[6]);
}

/**
 * BSNR: 9 digits, the first two being the KV region. Currently used region
 * codes are 01–03, 17, 20, 38, 46, 51–52, 60–62, 71–73, 78–81, 83, 85, 88 and
 * 93–99, but we only reject "00": the set has changed with past KV mergers and
 * special-purpose number ranges, and a registration must not fail because our
 * copy of that list is stale. The BSNR carries no check digit, so a stricter
 * prefix test would add little real protection against typos anyway.
 */
export function isValidBsnr(s: string): boolean {
  const v = s.trim();
  return /^[0-9]{9}$/.test(v) && !v.startsWith('00');
}

// ---------------------------------------------------------------------------
// Bank details
// ---------------------------------------------------------------------------

/**
 * Electronic IBAN format. Removes every kind of whitespace (not only the ASCII
 * space ibantools strips) because IBANs copied from PDFs or online banking
 * often contain non-breaking or thin spaces.
 */
export function normalizeIban(s: string): string {
  return s.replace(/\s+/gu, '').toUpperCase();
}

export function isValidIban(s: string): boolean {
  const electronic = electronicFormatIBAN(normalizeIban(s));
  return electronic !== null && isValidIBAN(electronic);
}

/** Print format, groups of four. Does not validate. */
export function formatIban(s: string): string {
  return friendlyFormatIBAN(normalizeIban(s)) ?? '';
}

export function normalizeBic(s: string): string {
  return s.replace(/\s+/gu, '').toUpperCase();
}

/** 8 or 11 characters with a known country code at positions 5–6. */
export function isValidBic(s: string): boolean {
  return isValidBIC(normalizeBic(s));
}

// ---------------------------------------------------------------------------
// Contact data
// ---------------------------------------------------------------------------

export const EMAIL_MAX = 254;

/**
 * Deliberately permissive: the only reliable e-mail check is the confirmation
 * mail, so this merely catches obvious typos (missing @, missing TLD, spaces)
 * without rejecting unusual but valid addresses such as "a+b@sub.example.de".
 */
export function isValidEmail(s: string): boolean {
  const v = s.trim();
  if (v.length === 0 || v.length > EMAIL_MAX) return false;
  if (/\s/u.test(v)) return false;
  const parts = v.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts;
  if (local.length === 0) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => l.length > 0);
}

export const PHONE_DIGITS_MIN = 6;
export const PHONE_DIGITS_MAX = 20;

/**
 * Accepts the notations people actually write ("+49 (0)30 123 456",
 * "030/123456-7") and only bounds the digit count, because German numbers vary
 * in length and foreign numbers must not be excluded.
 */
export function isValidPhone(s: string): boolean {
  const v = s.trim();
  if (!/^\+?[0-9 /()-]+$/.test(v)) return false;
  const digits = v.replace(/[^0-9]/g, '').length;
  return digits >= PHONE_DIGITS_MIN && digits <= PHONE_DIGITS_MAX;
}

// ---------------------------------------------------------------------------
// Passwords
// ---------------------------------------------------------------------------

export const PASSWORD_MIN = 10;
/**
 * Generous upper bound: long passphrases and password-manager output must fit,
 * while still bounding the work a key-derivation function does per request.
 */
export const PASSWORD_MAX = 256;

// How guessable a password is: lib/validation/password-check.ts (zxcvbn-ts).
