import type { Database } from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { impersonationEngine } from '../../src/engines/impersonation.js';
import { domainLookalike } from '../../src/intel/lookalike.js';
import { ContactBook } from '../../src/sender/contacts.js';
import { lookalikeContactDomain } from '../../src/sender/impersonation.js';
import type { AnalysisOptions } from '../../src/types.js';
import { codes, run, storeAndOptions } from './engine-helpers.js';
import { messageOf } from './helpers.js';

let ctx: { db: Database; options: AnalysisOptions };

beforeAll(async () => {
  ctx = await storeAndOptions();
});

const find = async (file: string, code: string) => {
  const out = await run(impersonationEngine, file, ctx);
  return { out, f: out.findings.find((x) => x.code === code) };
};

describe('impersonation findings, one fixture each', () => {
  it("a known contact's name on a free-mail address", async () => {
    const { out, f } = await find('contact-name-freemail.eml', 'sender.contact_name_other_address');
    expect(f?.severity).toBe('high');
    expect(f?.message).toBe(
      'This looks like Jane Smith, whom you write to, but it came from jane.smith.work@gmail.com, not jane@yourcompany.example.',
    );
    expect(f?.evidence).toMatchObject({ knownAddresses: ['jane@yourcompany.example'], fromIsFreemail: true });
    expect(out.status).toBe('suspicious');
  });

  it('an address inside the display name', async () => {
    const { f } = await find('display-name-address.eml', 'sender.display_name_has_other_address');
    expect(f?.evidence).toMatchObject({
      shownAddresses: ['billing@acmesupplies.com'],
      fromAddress: 'invoice@mailer-7781.net',
      shownIsKnown: true,
    });
    expect(f?.severity).toBe('high');
  });

  it("a domain that looks like a contact's domain, asking for payment to new bank details", async () => {
    const { out, f } = await find('lookalike-contact.eml', 'sender.lookalike_contact_domain');
    expect(f?.evidence).toMatchObject({ fromDomain: 'acmesuppliess.com', contactDomain: 'acmesupplies.com' });
    expect(f?.message).toContain('acmesupplies.com');
    // Chidi's name on the lookalike domain, and a first contact asking for money, are findings too.
    expect(codes(out.findings)).toEqual(
      expect.arrayContaining(['sender.contact_name_other_address', 'sender.first_contact_money_request']),
    );
  });

  it("a domain that looks like a brand's", async () => {
    const { f } = await find('lookalike-brand.eml', 'sender.lookalike_brand_domain');
    expect(f?.evidence).toMatchObject({ fromDomain: 'paypa1.com', brand: 'PayPal' });
  });

  it('a free-mail address claiming a brand', async () => {
    const { f } = await find('freemail-claims-org.eml', 'sender.freemail_claims_org');
    expect(f?.evidence).toMatchObject({ brand: 'PayPal', freemailDomain: 'outlook.com' });
  });

  it('first contact asking for a change of bank details', async () => {
    const { f } = await find('first-contact-bank-change.eml', 'sender.first_contact_money_request');
    expect(f?.severity).toBe('high');
    expect(f?.message).toContain('never corresponded with tom@newvendor-ltd.com');
  });

  it("a contact's own domain without DMARC, not authenticated (recorded by the trusted server)", async () => {
    const { f } = await find('no-dmarc-spoof.eml', 'sender.no_dmarc_impersonation');
    expect(f?.evidence).toMatchObject({
      domain: 'yourcompany.example',
      dmarc: 'none',
      spf: 'fail',
      ownOrganisation: true,
    });
  });

  it('no DMARC finding when nothing was checked', async () => {
    const { f } = await find('no-dmarc-spoof.eml', 'sender.no_dmarc_impersonation');
    expect(f).toBeDefined();
    const untrusted = await run(impersonationEngine, 'no-dmarc-spoof.eml', {
      ...ctx,
      options: { ...ctx.options, trustAuthservIds: [] },
    });
    expect(codes(untrusted.findings)).not.toContain('sender.no_dmarc_impersonation');
  });
});

describe('spear-phishing cues', () => {
  it('greets the recipient by name and quotes their organisation while pressing for payment', async () => {
    const out = await run(impersonationEngine, 'spear-greeting.eml', ctx);
    const byName = out.findings.find((f) => f.code === 'spear.addresses_recipient_by_name');
    expect(byName?.evidence).toMatchObject({ greeting: 'Dear Alex', recipientName: 'Alex' });
    const org = out.findings.find((f) => f.code === 'spear.quotes_recipient_org');
    expect(org?.evidence).toMatchObject({ organisation: 'yourcompany' });
  });

  it('a reply to a thread the user never had', async () => {
    const { f } = await find('reply-unknown-thread.eml', 'spear.reply_to_unknown_thread');
    expect(f?.evidence).toMatchObject({ inReplyTo: '<never-sent-4471@yourcompany.example>' });
    expect(f?.severity).toBe('high');
  });

  it('a "RE:" subject with no thread headers at all', async () => {
    const { f } = await find('reply-without-thread.eml', 'spear.reply_without_thread');
    expect(f?.severity).toBe('medium');
  });

  it('no unknown-thread finding when the store has no thread history', async () => {
    const out = await run(impersonationEngine, 'reply-unknown-thread.eml', { options: ctx.options });
    expect(codes(out.findings)).not.toContain('spear.reply_to_unknown_thread');
  });
});

describe('false positives that must stay quiet', () => {
  for (const file of [
    'fp-second-address.eml',
    'fp-list-rewrite.eml',
    'fp-list-plain-name.eml',
    'fp-colleague.eml',
    'fp-ticket-same-org.eml',
    'fp-ticket-cross-domain.eml',
  ]) {
    it(file, async () => {
      const out = await run(impersonationEngine, file, ctx);
      expect(codes(out.findings)).toEqual([]);
      expect(out.status).toBe('clean');
    });
  }

  it('first-contact checks stay silent without any contacts', async () => {
    const out = await run(impersonationEngine, 'first-contact-bank-change.eml', { options: {} });
    expect(codes(out.findings)).not.toContain('sender.first_contact_money_request');
    expect(out.note).toContain('no contacts');
  });
});

describe('lookalike contact domains, sender-specific limits', () => {
  const env = (addresses: string[]) => ({
    book: new ContactBook(addresses.map((address) => ({ address, source: 'csv' }))),
    lookalike: domainLookalike,
  });
  const from = (address: string) => messageOf(`From: ${address}\r\nSubject: x\r\n\r\nx\r\n`);

  it('keeps combosquats with the contact name as its own word, at medium severity', async () => {
    const [f] = lookalikeContactDomain(
      await from('a@acmesupplies-billing.com'),
      env(['b@acmesupplies.com']),
      'm',
    );
    expect(f).toMatchObject({ severity: 'medium', evidence: { contactDomain: 'acmesupplies.com' } });
  });

  it('ignores a contact name buried in another word, tenants of ticket services and free-mail providers', async () => {
    expect(
      lookalikeContactDomain(await from('a@usachickenmanchester.com'), env(['b@manchester.com']), 'm'),
    ).toEqual([]);
    expect(
      lookalikeContactDomain(await from('a@acmesupplies.zendesk.com'), env(['b@acmesupplies.com']), 'm'),
    ).toEqual([]);
    expect(lookalikeContactDomain(await from('a@mail.com'), env(['b@rail.com']), 'm')).toEqual([]);
  });
});
