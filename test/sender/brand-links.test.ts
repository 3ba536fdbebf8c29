import { describe, expect, it } from 'vitest';
import { officialBrandOf } from '../../src/intel/reference.js';
import { BRAND_LINKS_ELSEWHERE_CODE, brandLinksElsewhere } from '../../src/sender/brand-links.js';
import { findingMaker } from '../../src/sender/finding.js';
import { htmlMessage } from './helpers.js';

const finding = findingMaker('impersonation');

async function check(from: string, html: string) {
  return brandLinksElsewhere(await htmlMessage(from, html), (h) => officialBrandOf(h), finding, 'message');
}

describe('a brand’s From address whose links lead elsewhere', () => {
  it('names the brand and where the links go', async () => {
    const out = await check(
      'PayPal <service@paypal.com>',
      '<img src="https://www.paypalobjects.com/logo.png"><a href="https://verify-account.example.net/login">Confirm</a>',
    );
    expect(out.map((f) => f.code)).toEqual([BRAND_LINKS_ELSEWHERE_CODE]);
    expect(out[0].message).toBe(
      "The message says it is from PayPal (paypal.com), but none of its links leads to PayPal's sites: they go to verify-account.example.net.",
    );
  });

  it('says nothing when a link leads to the brand, when only tracking services stand between, or for free mail', async () => {
    expect(
      await check(
        'PayPal <service@paypal.com>',
        '<a href="https://www.paypal.com/signin">Sign in</a> <a href="https://partner.example.net/offer">Offer</a>',
      ),
    ).toEqual([]);
    expect(
      await check(
        'PayPal <service@paypal.com>',
        '<a href="https://u123.ct.sendgrid.net/ls/click?upn=x">Read</a>',
      ),
    ).toEqual([]);
    expect(
      await check('Dana <dana.reyes@gmail.com>', '<a href="https://blog.example.net/">my blog</a>'),
    ).toEqual([]);
    expect(
      await check('Shop <orders@shop.example.com>', '<a href="https://other.example.net/">x</a>'),
    ).toEqual([]);
  });
});
