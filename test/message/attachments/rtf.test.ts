import { describe, expect, it } from 'vitest';
import { explodeAttachments } from '../../../src/message/attachments/index.js';
import { inspectRtf } from '../../../src/message/attachments/rtf.js';
import { part } from './helpers.js';

const rtf = (body: string) => Buffer.from(`{\\rtf1\\ansi\\deff0 ${body}}`, 'latin1');

describe('inspectRtf', () => {
  it('recognises an embedded Equation Editor object', () => {
    const r = inspectRtf(
      rtf(
        '{\\object\\objemb{\\*\\objclass Equation.3}{\\*\\objdata 01050000020000000b0000004571756174696f6e2e3300}}',
      ),
    );
    expect(r.observations).toEqual([
      expect.objectContaining({
        code: 'rtf-embedded-object',
        evidence: { objects: 1, classes: ['Equation.3'], equationEditor: true },
      }),
    ]);
  });
  it('finds the class spelled only in the object data', () => {
    const r = inspectRtf(
      rtf('{\\object\\objocx{\\*\\objdata 0105000002000000 0b0000004571756174696f6e2e3300}}'),
    );
    expect(r.observations[0].evidence).toMatchObject({ equationEditor: true });
  });
  it('reports other embedded objects more mildly, and reads HYPERLINK fields', () => {
    const r = inspectRtf(
      rtf(
        '{\\field{\\*\\fldinst HYPERLINK "https://rtf.example/pay"}{\\fldrslt Pay}} {\\object\\objemb{\\*\\objclass Package}{\\*\\objdata 0105}}',
      ),
    );
    expect(r.observations[0].evidence).toMatchObject({ classes: ['Package'], equationEditor: false });
    expect(r.urls).toEqual(['https://rtf.example/pay']);
  });
  it('says nothing about a plain document', () => {
    expect(inspectRtf(rtf('Hello {\\b world}'))).toEqual({ observations: [], urls: [] });
  });
  it('is reached through the exploder by content, whatever the name', async () => {
    const r = await explodeAttachments([
      part('invoice.doc', rtf('{\\object{\\*\\objclass Equation.3}{\\*\\objdata 01}}')),
    ]);
    expect(r.attachments[0].detectedType?.ext).toBe('rtf');
    expect(r.attachments[0].observations.map((o) => o.code)).toEqual([
      'type-mismatch',
      'rtf-embedded-object',
    ]);
  });
});
