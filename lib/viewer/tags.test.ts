import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { formatTag, listTags, tagName } from './tags';

// Real files from Debian's python3-pydicom.
const DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const read = (name: string) => {
  const b = fs.readFileSync(path.join(DIR, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

describe('tag listing', () => {
  it('spells tags and names as the standard does', () => {
    expect(formatTag('7fe00010')).toBe('(7FE0,0010)');
    expect(tagName('00100010')).toBe('PatientName');
    expect(tagName('60003000')).toBe('OverlayData');
    expect(tagName('00091001')).toBe('Private');
    expect(tagName('00090010')).toBe('PrivateCreator');
  });

  it('lists every element of an MR image with VR and value, pixel data as its length', () => {
    const rows = listTags(read('MR_small.dcm'));
    const row = (tag: string) => rows.find((r) => r.tag === tag);
    expect(row('(0002,0010)')).toMatchObject({ name: 'TransferSyntaxUID', vr: 'UI', value: '1.2.840.10008.1.2.1' });
    expect(row('(0010,0010)')).toMatchObject({ name: 'PatientName', vr: 'PN', value: 'CompressedSamples^MR1' });
    expect(row('(0028,0010)')).toMatchObject({ name: 'Rows', vr: 'US', value: '64' });
    expect(row('(0020,0032)')?.value).toBe('-83.9063\\-91.2\\6.6406');
    expect(row('(7FE0,0010)')).toMatchObject({ name: 'PixelData', value: '8.192 Bytes' });
    // Meta group first, then the data set in tag order.
    expect(rows[0].tag.startsWith('(0002,')).toBe(true);
    const tags = rows.filter((r) => r.depth === 0 && !r.tag.startsWith('(0002,')).map((r) => r.tag);
    expect(tags).toEqual([...tags].sort());
  });

  it('shows encapsulated pixel data as length and fragment count', () => {
    const rows = listTags(read('SC_rgb_rle_2frame.dcm'));
    expect(rows.find((r) => r.tag === '(7FE0,0010)')?.value).toMatch(/^[\d.]+ Bytes \(2\)$/);
  });

  it('indents sequence items under their sequence', () => {
    const rows = listTags(read('rtplan.dcm'));
    const i = rows.findIndex((r) => r.vr === 'SQ');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(rows[i].value).toMatch(/^\d+ Items?$/);
    expect(rows[i + 1]).toMatchObject({ name: 'Item 1', depth: rows[i].depth + 1 });
    expect(rows[i + 2].depth).toBe(rows[i].depth + 2);
  });

  it('lists a file whose data set is implicit VR behind an explicit syntax, and a deflated one', () => {
    const rows = listTags(read('SC_rgb_jpeg.dcm'));
    const row = (tag: string) => rows.find((r) => r.tag === tag);
    expect(row('(0002,0010)')?.value).toBe('1.2.840.10008.1.2.4.50');
    expect(row('(0008,0060)')).toMatchObject({ name: 'Modality', vr: 'CS', value: 'OT' });
    expect(row('(0028,0010)')).toMatchObject({ name: 'Rows', vr: 'US', value: '256' });
    const deflated = listTags(read('image_dfl.dcm'));
    expect(deflated.find((r) => r.tag === '(0028,0010)')?.value).toBe('512');
  });
});
