// What a decoder handed back, checked before cornerstone draws it. A broken
// stream can decode "successfully" into an image of 0 × 0 pixels or fewer
// pixels than its header promises; drawn, such an image throws inside the
// rendering engine's frame, where nothing of ours would see it.

export type DecodedShape = {
  /** Rows and columns the decoder reports. */
  rows: number;
  columns: number;
  /** Rows and columns the file's header names. */
  headerRows: number;
  headerColumns: number;
  /** Samples per pixel the decoded array holds (1 grey, 3 RGB, 4 RGBA). */
  components: number;
  /** Length of the decoded pixel array. */
  length: number;
};

/** Why a decoded image cannot be drawn, or null when it can. */
export function decodedProblem(d: DecodedShape): string | null {
  if (!(d.rows > 0 && d.columns > 0)) return `decoded image has ${d.columns} × ${d.rows} pixels`;
  if (d.headerRows > 0 && d.headerColumns > 0 && (d.rows !== d.headerRows || d.columns !== d.headerColumns)) {
    return `decoded image has ${d.columns} × ${d.rows} pixels, the header ${d.headerColumns} × ${d.headerRows}`;
  }
  if (d.length < d.rows * d.columns * Math.max(1, d.components)) return `decoded image has ${d.length} of ${d.rows * d.columns * Math.max(1, d.components)} values`;
  return null;
}
