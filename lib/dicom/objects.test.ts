import { describe, expect, it } from 'vitest';
import { NON_IMAGE_MODALITIES, objectKind } from './objects';

describe('objects without an image', () => {
  it.each([
    ['SR', 'report'],
    ['ECG', 'ecg'],
    ['HD', 'waveform'],
    ['KO', 'selection'],
    ['PR', 'presentation'],
    ['DOC', 'document'],
    ['RTPLAN', 'therapy'],
    ['OT', 'other'],
    ['', 'other'],
  ])('%s is labelled as %s', (modality, kind) => {
    expect(objectKind(modality)).toBe(kind);
  });

  it('modalities of images are never taken for objects', () => {
    for (const m of ['CT', 'MR', 'US', 'CR', 'DX', 'MG', 'NM', 'PT', 'XA', 'OT', 'SC', 'XC', 'DOC', 'RTDOSE', 'RTIMAGE', 'SEG']) expect(NON_IMAGE_MODALITIES.has(m)).toBe(false);
  });
});
