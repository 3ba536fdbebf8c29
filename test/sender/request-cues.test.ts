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

  it('leaves ordinary mail alone', () => {
    expect(cues('Holiday offers', 'Gift cards make great presents. Shop our range online.')).toEqual([]);
    expect(cues('Payroll', 'Your payslip is ready. Your IBAN on file ends in 1234.')).toEqual([]);
    expect(cues('Team lunch', 'Lunch is at noon today, see you there.')).toEqual([]);
  });
});
