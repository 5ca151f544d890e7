import { z } from 'zod';

/** The test clock: the instant it runs from (with an offset), or null for real time. */
export const ZSetClock = z.object({ at: z.iso.datetime({ offset: true }).nullable() });
export type TSetClock = z.infer<typeof ZSetClock>;
