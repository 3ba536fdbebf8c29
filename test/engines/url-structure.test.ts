import { describe, expect, it } from 'vitest';
import { analyseUrlStructure } from '../../src/engines/url-structure.js';
import { normaliseLink } from '../../src/message/links/normalise.js';

const codes = (url: string) =>
  analyseUrlStructure(normaliseLink({ raw: url, source: 'text', location: 't' }, 'l')).map((f) => f.code);

describe('url-structure', () => {
  it('recognises each structural trick', () => {
    expect(codes('http://192.0.2.10/login')).toContain('url.ip_host');
    expect(codes('http://3232235777/')).toContain('url.ip_host');
    expect(codes('https://www.paypal.com@evil.example.com/')).toContain('url.userinfo');
    expect(codes('http://%E0%A4%A@evil.example.com/')).toContain('url.userinfo'); // malformed escape must not throw
    expect(codes('https://a.b.c.d.example.com/')).toContain('url.deep_subdomains');
    expect(codes('https://login-verify.xyz/')).toContain('url.risky_tld');
    expect(codes('https://pаypal.com/')).toContain('url.mixed_scripts');
    expect(codes('https://例え.jp/')).toContain('url.punycode');
    expect(codes('data:text/html;base64,PGgxPg==')).toEqual(['url.data_uri']);
    expect(codes('javascript:alert(1)')).toEqual(['url.script_uri']);
    expect(codes('https://bit.ly/3abc')).toContain('url.shortener');
    expect(codes('https://secure-login.web.app/')).toContain('url.free_hosting');
    expect(codes('https://docs.google.com/forms/d/e/1FAIpQL/viewform')).toContain('url.form_service');
    expect(codes('https://cdn.example.com/invoice.pdf.exe')).toContain('url.executable_download');
    expect(codes('https://x.example.com:8443/')).toContain('url.nonstandard_port');
    expect(codes('https://tracker.example.com/r?url=https%3A%2F%2Fphish.example.org%2F')).toContain(
      'url.open_redirect',
    );
  });

  it('does not judge images and stylesheets by where a click would lead', () => {
    const as = (source: 'html-a' | 'html-img' | 'html-css', url: string) =>
      analyseUrlStructure(normaliseLink({ raw: url, source, location: 'HTML body' }, 'l')).map((f) => f.code);
    const logo = `https://s3.amazonaws.com/newsletter-assets/images/logo.png?${'v=1&'.repeat(80)}`;
    expect(as('html-a', logo)).toEqual(expect.arrayContaining(['url.free_hosting', 'url.very_long']));
    expect(as('html-img', logo)).toEqual([]);
    expect(as('html-css', 'https://bit.ly/bg')).toEqual([]);
    // What an embedded address is, rather than where it leads, still counts.
    expect(as('html-img', 'http://192.0.2.10/pixel.gif')).toContain('url.ip_host');
    expect(as('html-img', 'https://cdn.example.com/setup.exe')).toContain('url.executable_download');
  });

  it('does not call a site redirecting within itself an open redirect', () => {
    const own =
      'https://accounts.google.com/AccountChooser?continue=https://myaccount.google.com/alert/nt/1763114624000';
    expect(codes(own)).not.toContain('url.open_redirect');
    // The same site sending the reader to another domain still is one.
    expect(codes('https://accounts.google.com/AccountChooser?continue=https://phish.example.org/')).toContain(
      'url.open_redirect',
    );
  });

  it('does not call a link to a device on the local network a bare-IP site', () => {
    for (const host of [
      '192.168.10.2',
      '10.0.0.1',
      '172.16.4.1',
      '127.0.0.1',
      '169.254.1.1',
      '[::1]',
      '[fd12:3456::1]',
    ])
      expect(codes(`http://${host}/`), host).not.toContain('url.ip_host');
    for (const host of ['172.32.0.1', '192.169.0.1', '203.0.113.7', '[2001:db8::1]'])
      expect(codes(`http://${host}/`), host).toContain('url.ip_host');
  });

  it('tells a program download from addresses that only end like one', () => {
    for (const url of [
      'https://dl.example.net/setup.com',
      'https://dl.example.net/update.dll',
      'https://dl.example.net/run.js',
      'https://dl.example.net/tool.exe?ref=mail',
    ])
      expect(codes(url), url).toContain('url.executable_download');
    for (const url of [
      'http://lists.example.org/mailman/listinfo/users_lists.example.org.com',
      'http://lists.example.org/mailman/listinfo/users_lists.ettus.com',
      'http://lists.example.org/mailman/options/dev/jo%40example.com',
      'http://cgi1.ebay.com/aw-cgi/eBayISAPI.dll?MyEbayLogin',
    ])
      expect(codes(url), url).not.toContain('url.executable_download');
    const script = normaliseLink(
      { raw: 'https://cdn.example.net/app.js', source: 'html-other', location: 'b' },
      'l',
    );
    expect(analyseUrlStructure(script).map((f) => f.code)).not.toContain('url.executable_download');
  });

  it('finds nothing on an ordinary link', () => {
    expect(codes('https://www.example.com/account/settings?tab=1')).toEqual([]);
    expect(codes('https://docs.google.com/document/d/abc/edit')).toEqual([]);
  });
});
