// The part of dcmjs Konsil uses (it ships no types).
declare module 'dcmjs' {
  type DicomDict = { meta: Record<string, { vr: string; Value?: unknown[] }>; dict: Record<string, { vr: string; Value?: unknown[] }> };
  export const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string | null; includeUntilTagValue?: boolean; noCopy?: boolean }): DicomDict;
    };
    DicomMetaDictionary: {
      naturalizeDataset(dict: DicomDict['dict'] | DicomDict['meta']): Record<string, unknown>;
    };
  };
  const dcmjs: { data: typeof data };
  export default dcmjs;
}
