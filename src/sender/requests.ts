// What a message asks the reader to do: pay, hand over credentials, change bank details, hurry.
// Plain phrase lists, each hit kept as evidence; the scorer decides what they weigh together.

/** Only the start of the body is read: requests come early, and a huge body must not cost regex time. */
export const MAX_TEXT_SCANNED = 20_000;

export type RequestKind = 'money' | 'credentials' | 'bank-change' | 'gift-cards' | 'urgency';

const PATTERNS: Record<RequestKind, RegExp[]> = {
  money: [
    /\b(wire|bank) transfer\b/i,
    /\b(make|process|send|complete|approve) (a |the )?(payment|transfer|wire)\b/i,
    /\b(outstanding|overdue|unpaid|pending) (invoice|payment|balance)\b/i,
    /\bpay(ment)? (is )?(due|required|overdue)\b/i,
    /\bsettle (the|this|your) (invoice|balance|payment)\b/i,
    /\b(bitcoin|btc|crypto(currency)?) (wallet|address|payment)\b/i,
    /\bwestern union|moneygram\b/i,
    /\b(überweisung|zahlung)\b/i,
    /\b(virement|paiement)\b/i,
    /\b(transferencia|pago)\b/i,
  ],
  credentials: [
    /\b(verify|confirm|update|validate|re-?activate) (your )?(account|password|credentials|identity|mailbox|login)\b/i,
    /\b(enter|provide|send|share) (your )?(password|passcode|pin|login|credentials|one[- ]time code|verification code)\b/i,
    /\b(password|mailbox|account) (will )?(expire|expires|expired|be (suspended|disabled|deactivated|closed|deleted))\b/i,
    /\b(sign|log) ?in (now |here )?to (avoid|keep|restore|prevent|verify)\b/i,
    /\bsecurity (alert|notice|check)\b.*\b(verify|confirm|sign in|log ?in)\b/i,
  ],
  'bank-change': [
    /\b(new|updated|changed|different) (bank(ing)?|account|payment) (details|information|info|account)\b/i,
    /\b(change|update)d? (of |to )?(our|my|the) (bank(ing)?|payment|remittance) (details|information|account)\b/i,
    /\b(iban|swift|bic|routing number|sort code)\b/i,
    /\bbankverbindung\b/i,
    /\b(coordonnées bancaires|rib)\b/i,
  ],
  'gift-cards': [/\bgift ?cards?\b/i, /\b(itunes|google play|steam|amazon) (card|voucher)s?\b/i],
  urgency: [
    /\b(urgent(ly)?|asap|immediately|right away|as soon as possible)\b/i,
    /\b(within|in the next) (24|48|72) hours\b/i,
    /\b(today|by end of (the )?day|before close of business)\b/i,
    /\b(final|last) (notice|reminder|warning)\b/i,
    /\bare you (available|at your desk|free)\b/i,
    /\b(confidential|discreet|keep this between us)\b/i,
    /\bdringend|sofort\b/i,
    /\burgente?\b/i,
  ],
};

export interface RequestHit {
  kind: RequestKind;
  /** The words that matched, as they stood in the message. */
  match: string;
}

/** Every kind of request the subject and body make, with the first match of each as evidence. */
export function findRequests(subject: string | undefined, body: string | undefined): RequestHit[] {
  const text = `${subject ?? ''}\n${(body ?? '').slice(0, MAX_TEXT_SCANNED)}`;
  const hits: RequestHit[] = [];
  for (const [kind, patterns] of Object.entries(PATTERNS) as [RequestKind, RegExp[]][]) {
    for (const re of patterns) {
      const m = re.exec(text);
      if (m) {
        hits.push({ kind, match: m[0].replace(/\s+/g, ' ').trim() });
        break;
      }
    }
  }
  return hits;
}

/** True when the message asks for money, credentials, gift cards or new bank details. */
export function asksForSomething(hits: RequestHit[]): boolean {
  return hits.some((h) => h.kind !== 'urgency');
}
