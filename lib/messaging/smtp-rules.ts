// Pure rules for the practice's own SMTP relay (Einstellungen → E-Mail);
// used by the server and the settings page alike.

export type SmtpSecurity = 'auto' | 'tls' | 'starttls';

/** Common German providers and the two big business suites: host and submission port. */
export const SMTP_PRESETS = [
  { id: 'ionos', label: 'IONOS', host: 'smtp.ionos.de', port: 587 },
  { id: 'strato', label: 'STRATO', host: 'smtp.strato.de', port: 465 },
  { id: 'telekom', label: 'Telekom / T-Online', host: 'securesmtp.t-online.de', port: 465 },
  { id: 'gmx', label: 'GMX', host: 'mail.gmx.net', port: 587 },
  { id: 'webde', label: 'WEB.DE', host: 'smtp.web.de', port: 587 },
  { id: 'm365', label: 'Microsoft 365', host: 'smtp.office365.com', port: 587 },
  { id: 'google', label: 'Google Workspace', host: 'smtp.gmail.com', port: 587 },
  { id: 'mailbox', label: 'mailbox.org', host: 'smtp.mailbox.org', port: 465 },
  { id: 'posteo', label: 'Posteo', host: 'posteo.de', port: 587 },
] as const;

/**
 * What a connection actually does. "auto": port 465 speaks TLS from the first
 * byte (implicit TLS, RFC 8314); every other port (587, 25, …) must upgrade
 * with STARTTLS, and a server that does not offer it is refused. Plain text is
 * never used: the messages carry access codes.
 */
export function effectiveSecurity(port: number, security: SmtpSecurity): 'tls' | 'starttls' {
  if (security === 'tls' || security === 'starttls') return security;
  return port === 465 ? 'tls' : 'starttls';
}

/** How long an entered SMTP password is kept (sealed) before it is erased. */
export const PASSWORD_VALIDITY = { '1d': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
export type PasswordValidity = keyof typeof PASSWORD_VALIDITY;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** A host name or an IPv4/IPv6 literal, no scheme, no port. */
export function isValidHost(s: string): boolean {
  const v = s.trim();
  if (!v || v.length > 253) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return v.split('.').every((o) => Number(o) <= 255);
  if (/^\[?[0-9a-f:]+\]?$/i.test(v) && v.includes(':')) return true;
  return v.split('.').every((l) => LABEL.test(l));
}
