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

/** A large sum named with its currency: "$53.7 million USD", "USD 10,500,000.00", "4.5 million euros". */
const LARGE_SUM =
  /(?:(?:us\$|usd|\$|€|£|eur|gbp)\s?\d{1,3}(?:[,.]?\d{3}){2,}(?:\.\d\d)?|(?:(?:us\$|usd|\$|€|£)\s?)?\d[\d,.]*\s?(?:m\b|million|billion)(?:\s?(?:us\s?)?(?:dollars|usd|euros?|eur|pounds|gbp))?)/i;
/**
 * The story of an advance-fee fraud: money waiting for a stranger (an inheritance, a dormant account, a
 * client's funds to move) in exchange for help, a fee or bank details later.
 */
const ADVANCE_FEE_STORY =
  /\b(?:next of kin|(?:the |a |as (?:the |my )?)beneficiar(?:y|ies)|inheritance|unclaimed (?:funds?|fortune|sum)|dormant account|(?:transfer|move|repatriat\w*|release) (?:of )?(?:the |these |this |his |her |my |our )?(?:funds?|fortune|sum|consignment)|fund manager|lucrative (?:business|deal|proposal|offer|transaction)|mutual(?:ly)? benefi\w*|compensation (?:fund|payment)|(?:consignment|trunk) box|diplomatic (?:agent|courier)|(?:lottery|prize) (?:winner|winnings|award)|business proposal|(?:investment|business) (?:collaboration|partnership) (?:opportunity|proposal))\b/gi;

const finding = findingMaker(REQUEST_CUES_ENGINE);

/**
 * An advance-fee story: two different story phrases, or one and a large sum. Quoted as evidence, so the
 * reader sees the very words.
 */
function advanceFee(body: string): { story: string[]; sum?: string } | undefined {
  const story = [...new Set([...body.matchAll(ADVANCE_FEE_STORY)].map((m) => m[0].toLowerCase()))];
  if (story.length === 0) return undefined;
  const sum = LARGE_SUM.exec(body)?.[0];
  if (story.length < 2 && !sum) return undefined;
  return { story: story.slice(0, 3), sum };
}

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
  const fee = advanceFee(body);
  if (fee)
    out.push(
      finding(
        'request.advance_fee_story',
        'medium',
        `It tells the story of an advance-fee fraud (${[...fee.story, ...(fee.sum ? [fee.sum] : [])].map((w) => `"${w}"`).join(', ')}): money promised to a stranger always ends in fees asked first.`,
        { story: fee.story, sum: fee.sum },
        targetId,
      ),
    );
  return out;
}
