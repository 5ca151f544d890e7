// Names of transfer syntaxes for the pane's message when an image cannot be
// shown: the ones the viewer decodes, and the others a file may come in.
import { VIEWABLE_SYNTAXES } from '@/lib/dicom/inspect';

const OTHER_SYNTAXES = new Map<string, string>([
  ['1.2.840.10008.1.2.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.4.52', 'JPEG Extended (3, 5)'],
  ['1.2.840.10008.1.2.4.53', 'JPEG Spectral Selection'],
  ['1.2.840.10008.1.2.4.55', 'JPEG Full Progression'],
  ['1.2.840.10008.1.2.4.58', 'JPEG Lossless (3, 5)'],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Lossless'],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2'],
  ['1.2.840.10008.1.2.4.94', 'JPIP Referenced'],
  ['1.2.840.10008.1.2.4.95', 'JPIP Referenced Deflate'],
  ['1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile'],
  ['1.2.840.10008.1.2.4.101', 'MPEG2 High Profile'],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264'],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD'],
  ['1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 2D'],
  ['1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 3D'],
  ['1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo'],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main'],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10'],
  ['1.2.840.10008.1.2.4.110', 'JPEG XL Lossless'],
  ['1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression'],
  ['1.2.840.10008.1.2.4.112', 'JPEG XL'],
  ['1.2.840.10008.1.2.4.201', 'HTJ2K Lossless'],
  ['1.2.840.10008.1.2.4.202', 'HTJ2K Lossless RPCL'],
  ['1.2.840.10008.1.2.4.203', 'HTJ2K'],
  ['1.2.840.10008.1.2.4.204', 'JPIP HTJ2K Referenced'],
  ['1.2.840.10008.1.2.4.205', 'JPIP HTJ2K Referenced Deflate'],
]);

/** "JPEG XL Lossless (1.2.840.10008.1.2.4.110)", the bare UID when unknown, '' for none. */
export function syntaxLabel(uid: string): string {
  const name = VIEWABLE_SYNTAXES.get(uid) ?? OTHER_SYNTAXES.get(uid);
  return name ? `${name} (${uid})` : uid;
}
