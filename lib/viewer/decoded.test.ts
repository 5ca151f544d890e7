import { describe, expect, it } from 'vitest';
import { decodedProblem } from './decoded';

const ok = { rows: 1024, columns: 256, headerRows: 1024, headerColumns: 256, components: 1, length: 1024 * 256 };

describe('decodedProblem', () => {
  it.each([
    ['a whole grey image', ok, null],
    ['a whole RGBA image', { ...ok, components: 4, length: 4 * 1024 * 256 }, null],
    ['a header without a size', { ...ok, headerRows: 0, headerColumns: 0 }, null],
    ['0 × 0 pixels', { ...ok, rows: 0, columns: 0, length: 0 }, 'decoded image has 0 × 0 pixels'],
    ['no columns', { ...ok, columns: 0 }, 'decoded image has 0 × 1024 pixels'],
    ['another size than the header', { ...ok, rows: 512 }, 'decoded image has 256 × 512 pixels, the header 256 × 1024'],
    ['too few values', { ...ok, length: 100 }, 'decoded image has 100 of 262144 values'],
    ['too few values for its colour', { ...ok, components: 3, length: 1024 * 256 }, 'decoded image has 262144 of 786432 values'],
  ])('%s', (_, shape, problem) => {
    expect(decodedProblem(shape)).toBe(problem);
  });
});
