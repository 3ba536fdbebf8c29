// OneNote sections (.one): the files embedded in them. In 2023 OneNote became the favourite wrapper
// for .hta/.js/.exe payloads hidden behind a fake "double-click to view" button; the payload sits in
// a FileDataStoreObject (MS-ONESTORE §2.6.13) and is analysed here like any other attachment.

/** guidHeader of a FileDataStoreObject: {BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC} in its on-disk byte order. */
const FILE_DATA_HEADER = Buffer.from('e716e3bd65261145a4c48d4d0b7a9eac', 'hex');

/** Embedded files taken out of one section; real notebooks hold a few, this bounds crafted ones. */
const MAX_ONENOTE_FILES = 50;

export interface OneNoteFile {
  offset: number;
  content: Uint8Array;
}

/** Files embedded in a OneNote section, as views into `content` (no copy). */
export function oneNoteFiles(content: Uint8Array): { files: OneNoteFile[]; truncated: boolean } {
  const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const files: OneNoteFile[] = [];
  let from = 0;
  for (;;) {
    const at = buf.indexOf(FILE_DATA_HEADER, from);
    if (at < 0) return { files, truncated: false };
    if (files.length >= MAX_ONENOTE_FILES) return { files, truncated: true };
    from = at + FILE_DATA_HEADER.length;
    // guidHeader (16) · cbLength (u64) · unused (u32) · reserved (u64) · FileData
    if (at + 36 > buf.length) continue;
    const length = Number(buf.readBigUInt64LE(at + 16));
    const start = at + 36;
    if (length <= 0 || start + length > buf.length) continue;
    files.push({ offset: at, content: content.subarray(start, start + length) });
    from = start + length;
  }
}
