import { z } from 'zod';

/** The largest sealed signalling message the relay accepts. */
export const MAX_SIGNAL_BYTES = 64_000;

/** One sealed signalling message (lib/protocol/video.ts); the relay can check its shape only. */
export const ZSignal = z.object({ payload: z.string().min(1).max(MAX_SIGNAL_BYTES).regex(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'bad_format') });
export type TSignal = z.infer<typeof ZSignal>;

/** The waiting participant the host lets in. */
export const ZAdmit = z.object({ participantId: z.string().uuid() });
export type TAdmit = z.infer<typeof ZAdmit>;
