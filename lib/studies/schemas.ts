import { z } from 'zod';
import { ZEnvelope, ZSealed, ZSig64 } from '@/lib/protocol/wire';

/** Files per study: a CT of several thousand slices fits; the manifest stays within the request limit. */
export const MAX_STUDY_FILES = 2000;
/** A manifest lists every file (path, size, hashes, UIDs): a few hundred bytes each. */
const ZManifestEnc = ZEnvelope.and(z.string().max(950_000));

const ZMailboxAt = z.object({ mailboxId: z.string().uuid(), version: z.number().int().min(1) });

/**
 * A study as the sender's browser made it: the encrypted manifest, the study
 * key sealed to the recipient mailbox and to the sender's, the sender's
 * signature over all of it, and the encrypted size of each file to come.
 */
export const ZStudyCreate = z.object({
  id: z.string().uuid(),
  sender: ZMailboxAt,
  recipient: ZMailboxAt.extend({ orgId: z.string().uuid() }),
  manifestEnc: ZManifestEnc,
  keyForRecipient: ZSealed,
  keyForSender: ZSealed,
  signature: ZSig64,
  files: z
    .array(z.object({ fileId: z.string().uuid(), bytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }))
    .min(1)
    .max(MAX_STUDY_FILES)
    .refine((fs) => new Set(fs.map((f) => f.fileId)).size === fs.length, 'duplicate'),
});
export type TStudyCreate = z.infer<typeof ZStudyCreate>;

/** A receipt signed in a recipient member's browser (lib/protocol/studies.ts). */
export const ZReceipt = z.object({ kind: z.enum(['delivered', 'opened']), at: z.string().datetime(), signature: ZSig64 });
export type TReceipt = z.infer<typeof ZReceipt>;

export const ZStudyList = z.object({ box: z.enum(['inbox', 'sent']) });

/** Received studies are kept until deleted, or deleted automatically after this many days. */
export const ZStudySettings = z.object({ retentionDays: z.number().int().min(1).max(3650).nullable() });
export type TStudySettings = z.infer<typeof ZStudySettings>;
