// Grey pixels the CPU way of drawing cannot take as they are. It looks every
// stored value up in a table indexed by the value itself: a fraction (an RT
// dose scaled by its Dose Grid Scaling into Gy) finds no entry and comes out
// black, and a 32-bit range (an RT dose's raw values, up to 4·10⁹) would need
// a table of gigabytes. Such pixels are mapped linearly onto 16 bits, with the
// slope and intercept that turn them back into the values they stood for.

type Grey = ArrayLike<number>;

export type NarrowedGrey = {
  pixels: Uint16Array;
  /** value = stored · slope + intercept, in the units of the values given. */
  slope: number;
  intercept: number;
  /** Smallest and largest of the values given. */
  min: number;
  max: number;
};

const TABLE = 0xffff;

/** The range of the values, ignoring NaN. */
export function rangeOf(values: Grey): { min: number; max: number } {
  let [min, max] = [Infinity, -Infinity];
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/** Whether a table indexed by stored value reaches every value (whole numbers, a 16-bit span from 0 or below). */
export function fitsLookupTable(values: Grey, min: number, max: number): boolean {
  if (max - Math.min(min, 0) > TABLE) return false;
  for (let k = 0; k < values.length; k++) if (!Number.isInteger(values[k])) return false;
  return true;
}

/** The values on 16 bits, or null when a lookup table takes them as they are. */
export function narrowGrey(values: Grey): NarrowedGrey | null {
  const { min, max } = rangeOf(values);
  if (fitsLookupTable(values, min, max)) return null;
  const slope = max > min ? (max - min) / TABLE : 1;
  const pixels = new Uint16Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    pixels[k] = Number.isFinite(v) ? Math.round((v - min) / slope) : 0;
  }
  return { pixels, slope, intercept: min, min, max };
}
