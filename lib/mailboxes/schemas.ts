import { z } from 'zod';
import { ZKey32, ZSealed, ZSig64 } from '@/lib/protocol/wire';
import { isValidEmail } from '@/lib/validation';

export const ZMailboxName = z.string().trim().min(1, 'required').max(60, 'tooLong');

const ZGrant = z.object({ version: z.number().int().min(1), userId: z.string().uuid(), sealedPrivate: ZSealed, signature: ZSig64 });
const ZNewKey = z.object({ version: z.number().int().min(1), publicKey: ZKey32, cert: ZSig64 });

/** A mailbox made in an admin's browser: its first key (certified by the organisation) sealed to everyone who may use it. */
export const ZMailboxCreate = z.object({
  id: z.string().uuid(),
  name: ZMailboxName,
  isMain: z.boolean().default(false),
  members: z.array(z.string().uuid()).min(1).max(500),
  key: ZNewKey,
  grants: z.array(ZGrant).max(5000),
});
export type TMailboxCreate = z.infer<typeof ZMailboxCreate>;

/**
 * Who may use a mailbox, with the grants that gives them. Whoever loses access
 * is cut off by a new key version (newKey), sealed to everyone who keeps it.
 */
export const ZMailboxAccess = z.object({
  members: z.array(z.string().uuid()).min(1).max(500),
  newKey: ZNewKey.optional(),
  grants: z.array(ZGrant).max(5000),
});
export type TMailboxAccess = z.infer<typeof ZMailboxAccess>;

/** The admin's form for a new mailbox (the keys are made from it in the browser). */
export const ZMailboxForm = z.object({ name: ZMailboxName, members: z.array(z.string().uuid()) });
export type TMailboxForm = z.infer<typeof ZMailboxForm>;

/** Where the notice of a new study in this mailbox goes; empty: to the organisation's address. */
export const ZMailboxNotice = z.object({
  email: z
    .string()
    .trim()
    .max(254, 'tooLong')
    .refine((v) => v === '' || isValidEmail(v), 'invalidEmail'),
});
export type TMailboxNotice = z.infer<typeof ZMailboxNotice>;
