// Wire schemas of Einstellungen → E-Mail / SMS and the Versandprotokoll.
// Messages are translation keys (lib/validation/messages.ts).
import { z } from 'zod';
import { isValidEmail } from '@/lib/validation';
import { isValidHost } from './smtp-rules';
import { isValidSmsSender } from '@/lib/validation/phone';

const optText = (max: number) => z.string().trim().max(max, 'tooLong').default('');

export const ZMailSettingsInput = z
  .object({
    transport: z.enum(['konsil', 'smtp'], { message: 'invalidChoice' }),
    smtpHost: optText(253),
    smtpPort: z.union([z.number(), z.string()]).optional(),
    smtpSecurity: z.enum(['auto', 'tls', 'starttls'], { message: 'invalidChoice' }).default('auto'),
    fromAddress: optText(254),
    username: optText(254),
    // Not trimmed: spaces may be part of a password.
    password: z.string().max(1000, 'tooLong').default(''),
    passwordValidity: z.enum(['1d', '7d', '30d'], { message: 'invalidChoice' }).default('1d'),
    clearPassword: z.boolean().default(false),
    bcc: optText(254),
  })
  .transform((v, ctx) => {
    let port: number | null = null;
    if (v.transport === 'smtp') {
      if (!v.smtpHost) ctx.addIssue({ code: 'custom', path: ['smtpHost'], message: 'required' });
      else if (!isValidHost(v.smtpHost)) ctx.addIssue({ code: 'custom', path: ['smtpHost'], message: 'invalid' });
      const n = typeof v.smtpPort === 'string' ? (v.smtpPort.trim() ? Number(v.smtpPort) : NaN) : v.smtpPort ?? NaN;
      if (v.smtpPort === undefined || v.smtpPort === '') ctx.addIssue({ code: 'custom', path: ['smtpPort'], message: 'required' });
      else if (!Number.isInteger(n) || n < 1 || n > 65535) ctx.addIssue({ code: 'custom', path: ['smtpPort'], message: 'invalid' });
      else port = n;
      if (!v.fromAddress) ctx.addIssue({ code: 'custom', path: ['fromAddress'], message: 'required' });
      else if (!isValidEmail(v.fromAddress)) ctx.addIssue({ code: 'custom', path: ['fromAddress'], message: 'invalidEmail' });
      if (/[\r\n]/.test(v.username)) ctx.addIssue({ code: 'custom', path: ['username'], message: 'invalid' });
    }
    if (v.bcc && !isValidEmail(v.bcc)) ctx.addIssue({ code: 'custom', path: ['bcc'], message: 'invalidEmail' });
    return { ...v, smtpPort: port };
  });
export type TMailSettingsInput = z.output<typeof ZMailSettingsInput>;

export const ZSmsSettingsInput = z
  .object({
    provider: z.enum(['konsil', 'http'], { message: 'invalidChoice' }),
    apiUrl: optText(500),
    apiKey: optText(500),
    clearApiKey: z.boolean().default(false),
    sender: optText(16),
  })
  .superRefine((v, ctx) => {
    if (v.provider === 'http') {
      let ok = false;
      try {
        const u = new URL(v.apiUrl);
        ok = (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
      } catch {
        ok = false;
      }
      if (!v.apiUrl) ctx.addIssue({ code: 'custom', path: ['apiUrl'], message: 'required' });
      else if (!ok) ctx.addIssue({ code: 'custom', path: ['apiUrl'], message: 'invalid' });
    }
    if (v.sender && !isValidSmsSender(v.sender)) ctx.addIssue({ code: 'custom', path: ['sender'], message: 'invalid' });
  });
export type TSmsSettingsInput = z.output<typeof ZSmsSettingsInput>;

export const ZTestEmailInput = z.object({
  to: z
    .string()
    .trim()
    .max(254, 'tooLong')
    .refine((s) => s === '' || isValidEmail(s), 'invalidEmail')
    .default(''),
  locale: z.enum(['de', 'en']).default('de'),
});

export const ZTestSmsInput = z.object({
  to: z.string().trim().max(40, 'tooLong'),
  locale: z.enum(['de', 'en']).default('de'),
});

export const ZDeliveryQuery = z.object({ id: z.string().uuid().optional() });
