import { describe, expect, it } from 'vitest';
import { findingMaker } from '../../src/sender/finding.js';
import { linksOnOwnDomain, OWN_DOMAIN_LINKS_CODE } from '../../src/sender/own-domain-links.js';
import { htmlMessage } from './helpers.js';

const finding = findingMaker('header-anomaly');

async function check(from: string, html: string) {
  return linksOnOwnDomain(await htmlMessage(from, html), finding, 'message');
}

describe('links on the sender’s own domain', () => {
  it('notes a message whose every link leads to the From address’s registrable domain', async () => {
    const out = await check(
      'GitHub <noreply@github.com>',
      '<a href="https://github.com/password_reset/4d1e8f">Reset</a> <a href="https://docs.github.com/help">Help</a> <a href="mailto:support@github.com">Mail us</a>',
    );
    expect(out.map((f) => f.code)).toEqual([OWN_DOMAIN_LINKS_CODE]);
    expect(out[0].severity).toBe('info');
    expect(out[0].evidence).toEqual({ fromDomain: 'github.com', links: 3 });
  });

  it('ignores images and stylesheets, which nobody clicks', async () => {
    const out = await check(
      'Shop <orders@shop.example.com>',
      '<img src="https://cdn.other.example/logo.png"><a href="https://www.shop.example.com/order/1">Order</a>',
    );
    expect(out).toHaveLength(1);
  });

  it('says nothing when one link leads elsewhere, or when there is no link', async () => {
    expect(
      await check(
        'PayPal <service@paypal.com>',
        '<a href="https://www.paypal.com/legal">Legal</a> <a href="https://paypal-verify.example.net/login">Verify now</a>',
      ),
    ).toEqual([]);
    expect(await check('Bank <alerts@bank.example.com>', '<p>Your statement is ready.</p>')).toEqual([]);
    expect(await check('Bank <alerts@bank.example.com>', '<a href="javascript:go()">Open</a>')).toEqual([]);
  });

  it('says nothing for a free-mail sender', async () => {
    expect(await check('Dana <dana.reyes@gmail.com>', '<a href="https://mail.gmail.com/x">x</a>')).toEqual(
      [],
    );
  });
});
