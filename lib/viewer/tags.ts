// Every data element of one image, as the tag panel lists it (pure; dcmjs):
// tag, keyword, VR and value, sequences with their items indented below,
// binary values (pixel data, OB/OW/UN) only as their length.
import dcmjs from 'dcmjs';
import { mismatchedVrEncoding, readFileMeta, withTransferSyntax } from '@/lib/dicom/inspect';

export type TagRow = { tag: string; name: string; vr: string; value: string; depth: number };

type Element = { vr: string; Value?: unknown[]; InlineBinary?: string };
type Dict = Record<string, Element>;
type DictionaryEntry = { name: string; vr: string };

// Only the public dictionary is read here; the shipped type declaration covers
// what the rest of Konsil uses, so the one extra field is typed at this spot.
const dictionary = (dcmjs.data.DicomMetaDictionary as unknown as { dictionary: Record<string, DictionaryEntry | undefined> }).dictionary;

const BINARY_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN', 'ox']);
/** Long texts are cut in the list; the panel is for reading values, not documents. */
const MAX_VALUE = 160;

export const formatTag = (key: string) => `(${key.slice(0, 4)},${key.slice(4, 8)})`.toUpperCase();

export function tagName(key: string): string {
  const tag = formatTag(key);
  const group = parseInt(key.slice(0, 4), 16);
  if (group % 2 === 1) return key.slice(4, 6) === '00' ? 'PrivateCreator' : 'Private';
  if (key.slice(4, 8).toUpperCase() === '0000') return 'GroupLength';
  const exact = dictionary[tag];
  if (exact) return exact.name;
  // Repeating groups (curves, overlays): the dictionary spells them 50xx / 60xx.
  return dictionary[`(${tag.slice(1, 3)}xx,${tag.slice(6, 10)})`]?.name ?? '';
}

const byteLength = (v: unknown): number => {
  if (v instanceof ArrayBuffer) return v.byteLength;
  if (ArrayBuffer.isView(v)) return v.byteLength;
  return 0;
};

function formatValue(el: Element): string {
  const values = el.Value ?? [];
  if (BINARY_VRS.has(el.vr) || values.some((v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v))) {
    const total = values.reduce<number>((sum, v) => sum + byteLength(v), 0);
    const parts = values.length > 1 ? ` (${values.length})` : '';
    return `${total.toLocaleString('de-DE')} Bytes${parts}`;
  }
  const text = values
    .map((v) => {
      if (v === null || v === undefined) return '';
      if (typeof v === 'object') {
        const pn = v as { Alphabetic?: string };
        return pn.Alphabetic ?? JSON.stringify(v);
      }
      return String(v);
    })
    .join('\\');
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

function walk(dict: Dict, depth: number, out: TagRow[]) {
  for (const key of Object.keys(dict).sort()) {
    const el = dict[key];
    if (el.vr === 'SQ') {
      const items = (el.Value ?? []) as Dict[];
      out.push({ tag: formatTag(key), name: tagName(key), vr: 'SQ', value: `${items.length} Item${items.length === 1 ? '' : 's'}`, depth });
      items.forEach((item, i) => {
        out.push({ tag: '', name: `Item ${i + 1}`, vr: '', value: '', depth: depth + 1 });
        walk(item ?? {}, depth + 2, out);
      });
      continue;
    }
    out.push({ tag: formatTag(key), name: tagName(key), vr: el.vr, value: formatValue(el), depth });
  }
}

/** All elements of a Part-10 file, the file meta group first. */
export function listTags(part10: ArrayBuffer): TagRow[] {
  const bytes = new Uint8Array(part10);
  const meta = readFileMeta(bytes);
  const actual = meta && mismatchedVrEncoding(bytes, meta);
  // A data set in other VRs than its syntax names is read as what it is; the
  // meta group is listed as the file has it.
  const readable = meta && actual ? (withTransferSyntax(bytes, meta, actual).buffer as ArrayBuffer) : part10;
  const parsed = dcmjs.data.DicomMessage.readFile(readable, { ignoreErrors: true });
  if (meta && actual) parsed.meta['00020010'] = { vr: 'UI', Value: [meta.transferSyntaxUid] };
  const out: TagRow[] = [];
  walk(parsed.meta as Dict, 0, out);
  walk(parsed.dict as Dict, 0, out);
  return out;
}
