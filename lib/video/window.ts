// When a patient may enter the waiting room. Pure, so it can be table-tested.

/** The waiting room opens this long before the appointment. */
export const OPENS_BEFORE_MIN = 15;
/** …and closes this long after its planned end. */
export const CLOSES_AFTER_END_MIN = 60;

export type JoinWindow =
  | { status: 'open'; opensAt: Date; closesAt: Date }
  | { status: 'early'; opensAt: Date; closesAt: Date }
  | { status: 'past'; opensAt: Date; closesAt: Date }
  | { status: 'cancelled'; opensAt: Date; closesAt: Date };

export function joinWindow(a: { startsAt: Date; durationMin: number; state: 'scheduled' | 'cancelled' }, at: Date): JoinWindow {
  const opensAt = new Date(a.startsAt.getTime() - OPENS_BEFORE_MIN * 60_000);
  const closesAt = new Date(a.startsAt.getTime() + (a.durationMin + CLOSES_AFTER_END_MIN) * 60_000);
  if (a.state === 'cancelled') return { status: 'cancelled', opensAt, closesAt };
  if (at < opensAt) return { status: 'early', opensAt, closesAt };
  if (at > closesAt) return { status: 'past', opensAt, closesAt };
  return { status: 'open', opensAt, closesAt };
}
