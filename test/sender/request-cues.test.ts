import { describe, expect, it } from 'vitest';
import { requestCueFindings } from '../../src/sender/request-cues.js';
import { findRequests } from '../../src/sender/requests.js';

const cues = (subject: string, body: string) =>
  requestCueFindings({ subject, bodyText: body }, findRequests(subject, body), 'message').map((f) => [
    f.code,
    f.severity,
  ]);

describe('request cues', () => {
  it('flags gift cards with codes to send as critical, and in a hurry as high', () => {
    expect(
      cues('Quick favour', 'Buy 5 Apple gift cards today. Scratch the codes and send me photos.'),
    ).toEqual([['request.gift_card_codes', 'critical']]);
    expect(cues('Are you at your desk?', 'I need gift cards for a client, keep this confidential.')).toEqual([
      ['request.gift_cards_urgent', 'high'],
    ]);
  });

  it('flags a change of bank details with a payment, and a secret urgent payment', () => {
    expect(
      cues('Invoice', 'Please settle the invoice today. Our bank details have changed: new IBAN below.').map(
        (c) => c[0],
      ),
    ).toContain('request.bank_change');
    expect(
      cues('Wire', 'Make the payment by wire transfer immediately and keep this between us.').map(
        (c) => c[0],
      ),
    ).toContain('request.secret_urgent_payment');
  });

  it('tells an advance-fee story by two of its phrases, or one and a large sum, quoting them', () => {
    const [f] = requestCueFindings(
      {
        subject: 'PROPOSAL',
        bodyText:
          'I need your help to transfer the funds of US$10.5 million left by a client with no next of kin.',
      },
      [],
      'message',
    );
    expect(f).toMatchObject({ code: 'request.advance_fee_story', severity: 'medium' });
    expect(f.evidence).toEqual({ story: ['transfer the funds', 'next of kin'], sum: 'US$10.5 million' });
    expect(
      cues('Hello', 'A lucrative business that would be mutually beneficial. Reply for details.'),
    ).toEqual([['request.advance_fee_story', 'medium']]);
    // One phrase alone, or a large sum alone, is ordinary business mail.
    expect(cues('Q3', 'Revenue reached $4.5 million this quarter, thanks to the team.')).toEqual([]);
    expect(cues('Trust', 'The beneficiary of the trust will be notified by the bank.')).toEqual([]);
  });

  it('leaves ordinary mail alone', () => {
    expect(cues('Holiday offers', 'Gift cards make great presents. Shop our range online.')).toEqual([]);
    expect(cues('Payroll', 'Your payslip is ready. Your IBAN on file ends in 1234.')).toEqual([]);
    expect(cues('Team lunch', 'Lunch is at noon today, see you there.')).toEqual([]);
  });
});
