/**
 * Every message a validator in this folder can produce. Messages are
 * translation keys, never prose, so the same schemas serve the German and the
 * English UI and the server can return them unchanged.
 */
export const MESSAGE_KEYS = [
  'required',
  'tooShort',
  'tooLong',
  'invalid',
  'invalidType',
  'invalidChoice',
  'invalidEmail',
  'invalidPhone',
  'invalidMobile',
  'phoneCountry',
  'invalidPlz',
  'invalidBsnr',
  'invalidLanr',
  'invalidIban',
  'invalidBic',
  'invalidShortName',
  'passwordTooShort',
  'passwordWeak',
  'passwordTooLong',
  'passwordMismatch',
  'masterMismatch',
  'masterEqualsPassword',
  'mustAccept',
  'notAllowed',
] as const;

export type TMessageKey = (typeof MESSAGE_KEYS)[number];

const KEY_SET: ReadonlySet<string> = new Set(MESSAGE_KEYS);

export function isMessageKey(s: unknown): s is TMessageKey {
  return typeof s === 'string' && KEY_SET.has(s);
}
