import { describe, expect, it } from 'vitest';
import { scanHtml } from '../../../src/message/links/extract-html.js';
import { extractTextLinks } from '../../../src/message/links/extract-text.js';

describe('extractTextLinks', () => {
  it('finds schemed, www., bare and defanged links', () => {
    const found = extractTextLinks(
      'Go to https://a.example/x, or www.shop-example.com, or paypal-secure-login.xyz/verify. IOC: hxxp://c[.]example/p and d[.]example',
      'text',
      'text body',
    ).map((l) => l.raw);
    expect(found).toEqual(
      expect.arrayContaining([
        'https://a.example/x',
        'www.shop-example.com',
        'paypal-secure-login.xyz/verify',
        'hxxp://c[.]example/p',
        'd[.]example',
      ]),
    );
  });
});

describe('extractTextLinks and bare IP addresses', () => {
  it('takes a version number or a netmask for what it is, and an address with a scheme, port or path for a link', () => {
    const found = extractTextLinks(
      'Upgrade UHD 4.1.0.1 to 4.5.0.0; netmask 255.255.255.0. Log in at http://203.0.113.7/login or 198.51.100.4/admin or 198.51.100.5:8080',
      'text',
      'text body',
    ).map((l) => l.raw);
    expect(found).toEqual(['http://203.0.113.7/login', '198.51.100.4/admin', '198.51.100.5:8080']);
  });
});

describe('scanHtml', () => {
  it('finds every kind of link with its display text and source', () => {
    const html = `<html><head><meta http-equiv="refresh" content="0; url=https://refresh.example/"><style>.x{background:url('https://css.example/bg.png')}</style></head>
      <body><a href="https://paypa1-login.example/signin">www.paypal.com</a>
      <a href="https://img.example/go"><img src="https://cdn.example/logo.png" alt="PayPal"></a>
      <map><area href="https://area.example/" alt="Click"></map>
      <form action="https://collect.example/post"><input type="password"></form>
      <iframe src="https://frame.example/"></iframe>
      <div style="background-image:url(https://inline.example/i.png)">Visit https://bare.example/in-text</div>
      <a href="#top">top</a><a href="cid:123">inline</a></body></html>`;
    const { links, text } = scanHtml(html, 'HTML body');
    const bySource = (s: string) => links.filter((l) => l.source === s).map((l) => l.raw);
    expect(links.find((l) => l.raw === 'https://paypa1-login.example/signin')?.displayText).toBe(
      'www.paypal.com',
    );
    expect(links.find((l) => l.raw === 'https://img.example/go')?.displayText).toBe('PayPal');
    expect(bySource('html-meta-refresh')).toEqual(['https://refresh.example/']);
    expect(bySource('html-css')).toEqual(
      expect.arrayContaining(['https://css.example/bg.png', 'https://inline.example/i.png']),
    );
    expect(bySource('html-area')).toEqual(['https://area.example/']);
    expect(bySource('html-form')).toEqual(['https://collect.example/post']);
    expect(bySource('html-iframe')).toEqual(['https://frame.example/']);
    expect(bySource('html-img')).toEqual(['https://cdn.example/logo.png']);
    expect(bySource('text')).toEqual(['https://bare.example/in-text']);
    expect(links.some((l) => l.raw.startsWith('#') || l.raw.startsWith('cid:'))).toBe(false);
    expect(text).toContain('Visit https://bare.example/in-text');
    expect(text).not.toContain('background');
  });

  it('leaves out bare URLs in the text when asked to, and nothing else', () => {
    const html =
      '<p>Visit https://bare.example/in-text or www.shop-example.com</p><a href="https://a.example/">go</a>';
    const all = scanHtml(html, 'HTML body');
    const noBare = scanHtml(html, 'HTML body', { bareUrls: false });
    expect(all.links.map((l) => l.raw)).toEqual([
      'https://a.example/',
      'https://bare.example/in-text',
      'www.shop-example.com',
    ]);
    expect(noBare.links).toEqual(all.links.filter((l) => l.source !== 'text'));
    expect(noBare.text).toBe(all.text);
    expect(scanHtml(html, 'x', { textSource: 'attachment-html' }).links[1].source).toBe('attachment-html');
  });

  it('copes with truncated and hostile HTML', () => {
    const { links } = scanHtml('<a href="https://cut.example/">never closed <b>', 'HTML body');
    expect(links[0]).toMatchObject({ raw: 'https://cut.example/', displayText: 'never closed' });
    const many = '<a href="https://x.example/">x</a>'.repeat(5000);
    expect(scanHtml(many, 'HTML body').links.length).toBeLessThanOrEqual(2000);
  });
});
