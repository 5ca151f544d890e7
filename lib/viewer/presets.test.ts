import { describe, expect, it } from 'vitest';
import { PRESETS, formatWindowValue, presetsApply, toVoiRange, toWindowLevel } from './presets';

describe('window/level', () => {
  it.each([
    ['softTissue', -160, 240],
    ['lung', -1350, 150],
    ['bone', -600, 1400],
    ['brain', 0, 80],
  ])('preset %s covers %d … %d HU', (id, lower, upper) => {
    const p = PRESETS.find((x) => x.id === id)!;
    expect(toVoiRange(p)).toEqual({ lower, upper });
  });

  it('converts back and forth', () => {
    expect(toWindowLevel(toVoiRange({ width: 350, center: 50 }))).toEqual({ width: 350, center: 50 });
    expect(toWindowLevel({ lower: 0, upper: 4095 })).toEqual({ width: 4095, center: 2047.5 });
  });

  it('never yields an empty window', () => {
    expect(toVoiRange({ width: 0, center: 10 })).toEqual({ lower: 9.5, upper: 10.5 });
  });

  it('formats values for the overlay', () => {
    expect(formatWindowValue(400)).toBe('400');
    expect(formatWindowValue(-600.4)).toBe('-600');
    expect(formatWindowValue(2.25)).toBe('2.3');
    expect(formatWindowValue(Number.NaN)).toBe('–');
  });

  it('knows where presets apply', () => {
    expect(presetsApply('CT')).toBe(true);
    expect(presetsApply('MR')).toBe(false);
  });
});
