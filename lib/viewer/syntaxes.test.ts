import { describe, expect, it } from 'vitest';
import { syntaxLabel } from './syntaxes';

describe('transfer syntax labels', () => {
  it.each([
    ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (1.2.840.10008.1.2.4.50)'],
    ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 (1.2.840.10008.1.2.4.102)'],
    ['1.2.3.4', '1.2.3.4'],
    ['', ''],
  ])('%s', (uid, label) => expect(syntaxLabel(uid)).toBe(label));
});
