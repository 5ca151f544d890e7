import { now } from '../../core/clock';
import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

// Einstellungen → E-Mail. The SMTP password is kept only sealed under a server
// key and only until password_expires_at.
export const mailSettings = pgTable('mail_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  transport: text('transport', { enum: ['konsil', 'smtp'] }).notNull().default('konsil'),
  smtpHost: text('smtp_host'),
  smtpPort: integer('smtp_port'),
  smtpSecurity: text('smtp_security', { enum: ['auto', 'tls', 'starttls', 'none'] }).notNull().default('auto'),
  fromAddress: text('from_address'),
  username: text('username'),
  bcc: text('bcc'),
  passwordSealed: text('password_sealed'),
  passwordExpiresAt: timestamp('password_expires_at', { withTimezone: true }),
  // The expiry the admins were last told about (job smtp-expiry), so each is announced once.
  expiryNotifiedFor: timestamp('expiry_notified_for', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});

// Einstellungen → SMS. Provider credentials are sealed under a server key.
export const smsSettings = pgTable('sms_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  provider: text('provider', { enum: ['konsil', 'http'] }).notNull().default('konsil'),
  apiUrl: text('api_url'),
  username: text('username'),
  apiKeySealed: text('api_key_sealed'),
  sender: text('sender'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
