import { z } from 'zod';
import { ZEnvelope, ZSig64 } from '@/lib/protocol/wire';

export const ZDirectoryQuery = z.object({ q: z.string().max(200, 'tooLong').default('') });
export type TDirectoryQuery = z.infer<typeof ZDirectoryQuery>;

/** A partner pin made in a member's browser (lib/protocol/directory.ts): envelope under orgKey and the member's signature. */
export const ZPartnerPin = z.object({ pinEnc: ZEnvelope, signature: ZSig64 });
export type TPartnerPin = z.infer<typeof ZPartnerPin>;

export const ZDirectoryVisibility = z.object({ directoryVisible: z.boolean() });
export type TDirectoryVisibility = z.infer<typeof ZDirectoryVisibility>;
