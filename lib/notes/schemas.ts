import { z } from 'zod';
import { ZEnvelope } from '@/lib/protocol/wire';

/** A new team note: its id, chosen in the browser, and its body sealed under orgKey. */
export const ZNoteCreate = z.object({ id: z.string().uuid(), bodyEnc: ZEnvelope });
export type TNoteCreate = z.infer<typeof ZNoteCreate>;
