import { describe, expect, it } from 'vitest';
import { dicomDate, formatBytes, formatDuration, personName } from './format';

describe('study display', () => {
  it('formats sizes in decimal units', () => {
    expect(formatBytes(0, 'de')).toBe('0 Byte');
    expect(formatBytes(1_500_000, 'de')).toBe('1,5 MB');
    expect(formatBytes(25e9, 'en')).toBe('25 GB');
  });
  it('reads DICOM dates and names', () => {
    expect(dicomDate('20240131')).toBe('31.01.2024');
    expect(dicomDate('')).toBe('');
    expect(dicomDate('2024.01.31')).toBe('31.01.2024');
    expect(personName('Muster^Erika^^Dr.^MSc=ムスター')).toBe('Muster, Dr. Erika MSc');
    expect(personName('Mustermann^Erika^M')).toBe('Mustermann, Erika M');
    expect(personName('CompressedSamples^RG1')).toBe('CompressedSamples, RG1');
    expect(personName('')).toBe('');
  });
  it('formats durations', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(80)).toBe('1 min 20 s');
    expect(formatDuration(3720)).toBe('1 h 2 min');
    expect(formatDuration(Infinity)).toBe('–');
  });
});
