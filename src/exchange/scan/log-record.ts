// Turns log lines into records with named fields. Handles the two header layouts Exchange uses and
// the IIS W3C layout:
//  - a bare CSV header row on line 1 (HttpProxy, EWS, ...), possibly followed by '#Software'...'#Fields:';
//  - '#Software'...'#Fields: a,b,c' directives (ECP Server and others): comma-separated;
//  - IIS W3C: '#Fields: date time s-ip ...' space-separated; rows space-separated, spaces in values
//    written as '+'. IIS may write a new '#Fields:' block mid-file after a restart.

import { parseCsvLine } from './csv.js';

export interface LogRecord {
  lineNo: number;
  raw: string;
  /** Field by case-insensitive column name; undefined when the column is absent. */
  get(name: string): string | undefined;
  /** Number of fields the row had, and the header had. */
  fieldCount: number;
  columnCount: number;
  /** The row ended inside a quoted field. */
  unterminated: boolean;
}

export type LogLayout = 'csv' | 'w3c' | 'none';

export class LogRecordReader {
  private columns = new Map<string, number>();
  private columnCount = 0;
  layout: LogLayout = 'none';

  /** Feeds one line; returns a record for data rows, undefined for headers and blank lines. */
  feed(line: string, lineNo: number): LogRecord | undefined {
    if (line.length === 0) return undefined;
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line.startsWith('#Fields:')) this.setHeader(line.slice(8).trim());
      return undefined;
    }
    if (lineNo === 1 && this.layout === 'none' && looksLikeCsvHeader(line)) {
      this.setColumns(parseCsvLine(line).fields, 'csv');
      return undefined;
    }
    // A repeated bare header (files concatenated by a copy tool) is not data.
    if (this.layout === 'csv' && this.columnCount > 0 && looksLikeCsvHeader(line)) return undefined;
    const { fields, unterminated } =
      this.layout === 'w3c' ? { fields: line.split(' '), unterminated: false } : parseCsvLine(line);
    const columns = this.columns;
    return {
      lineNo,
      raw: line,
      fieldCount: fields.length,
      columnCount: this.columnCount,
      unterminated,
      get(name: string) {
        const i = columns.get(name.toLowerCase());
        return i === undefined ? undefined : fields[i];
      },
    };
  }

  private setHeader(spec: string): void {
    if (spec.includes(',')) this.setColumns(parseCsvLine(spec).fields, 'csv');
    else this.setColumns(spec.split(/\s+/), 'w3c');
  }

  private setColumns(names: string[], layout: LogLayout): void {
    this.columns = new Map(names.map((n, i) => [n.trim().toLowerCase(), i]));
    this.columnCount = names.length;
    this.layout = layout;
  }

  get hasHeader(): boolean {
    return this.columnCount > 0;
  }
}

/** A first line with no leading date and a known column name is a CSV header row. */
function looksLikeCsvHeader(line: string): boolean {
  return /^"?(DateTime|date-time|TimeStamp|Date)"?,/i.test(line);
}
