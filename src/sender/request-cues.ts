// What the message asks for, judged on its own (no contact book needed): buying gift cards and sending
// the codes, paying to new bank details, a secret urgent payment. These are the asks of CEO fraud and
// invoice fraud, which carry no link or attachment for the other engines to find.

import type { Finding, Message } from '../types.js';
import { findingMaker } from './finding.js';
import { MAX_TEXT_SCANNED, type RequestHit } from './requests.js';

export const REQUEST_CUES_ENGINE = 'impersonation';

/** "scratch the codes", "send me photos of the cards", "reply with the codes": the scam's payload step. */
const SEND_CODES =
  /\b(scratch(ed)? (off )?(the )?(back|codes?|cards?)|(send|email|text|reply with|forward)( me| us)? (the |all the )?(codes?|pins?|photos?|pictures?|images?|numbers?)( of (the|them|each|all))?)\b/i;
const SECRECY =
  /\b(confidential|discreet|keep (this|it) (between us|quiet|to yourself)|don'?t (tell|mention)|surprise for)\b/i;

const finding = findingMaker(REQUEST_CUES_ENGINE);

export function requestCueFindings(
  message: Pick<Message, 'subject' | 'bodyText' | 'text'>,
  requests: RequestHit[],
  targetId: string,
): Finding[] {
  const body = `${message.subject ?? ''}\n${(message.bodyText || message.text || '').slice(0, MAX_TEXT_SCANNED)}`;
  const has = (k: RequestHit['kind']) => requests.find((r) => r.kind === k);
  const urgency = has('urgency');
  const secrecy = SECRECY.exec(body)?.[0];
  const out: Finding[] = [];
  const gift = has('gift-cards');
  if (gift) {
    const send = SEND_CODES.exec(body)?.[0];
    if (send)
      out.push(
        finding(
          'request.gift_card_codes',
          'critical',
          `It asks you to buy gift cards and send the codes ("${gift.match}", "${send}"): no employer, bank or authority ever asks for that.`,
          {
            giftCards: gift.match,
            sendCodes: send,
            urgency: urgency?.match,
          },
          targetId,
        ),
      );
    else if (urgency || secrecy)
      out.push(
        finding(
          'request.gift_cards_urgent',
          'high',
          `It asks for gift cards in a hurry or in secret ("${gift.match}", "${(urgency?.match ?? secrecy)!}").`,
          {
            giftCards: gift.match,
            urgency: urgency?.match,
            secrecy,
          },
          targetId,
        ),
      );
  }
  const bank = has('bank-change');
  if (bank && (urgency || has('money')))
    out.push(
      finding(
        'request.bank_change',
        'high',
        `It asks you to pay to new or changed bank details ("${bank.match}"): call the payee on a number you already have before paying.`,
        {
          bankChange: bank.match,
          money: has('money')?.match,
          urgency: urgency?.match,
        },
        targetId,
      ),
    );
  const money = has('money');
  if (money && urgency && secrecy)
    out.push(
      finding(
        'request.secret_urgent_payment',
        'high',
        `It asks for a payment that is urgent and secret ("${money.match}", "${urgency.match}", "${secrecy}"), the pattern of CEO fraud.`,
        {
          money: money.match,
          urgency: urgency.match,
          secrecy,
        },
        targetId,
      ),
    );
  return out;
}
