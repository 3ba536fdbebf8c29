// One line of an Exchange or IIS CSV log split into fields: commas, double-quoted fields with "" escapes.
// Exchange writes one record per physical line (embedded line breaks are escaped), so a record never
// spans lines; an unterminated quote therefore means a truncated or corrupt row.

export interface CsvRow {
  fields: string[];
  /** Set when the row ended inside a quoted field (truncated or corrupt). */
  unterminated: boolean;
}

/** Upper bound on fields per row: a hostile line of commas must not allocate millions of strings. */
export const MAX_CSV_FIELDS = 512;

export function parseCsvLine(line: string): CsvRow {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  let unterminated = false;
  while (fields.length < MAX_CSV_FIELDS) {
    if (i < n && line.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          value += line.slice(j);
          j = n;
          break;
        }
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          closed = true;
          break;
        }
      }
      if (!closed) unterminated = true;
      // Anything between the closing quote and the next comma is kept, as Import-Csv does.
      const comma = line.indexOf(',', j);
      if (comma < 0) {
        fields.push(value + line.slice(j));
        break;
      }
      fields.push(value + line.slice(j, comma));
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        fields.push(line.slice(i));
        break;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
  return { fields, unterminated };
}
