// Spear-phishing cues: a message that knows the recipient (their name, their organisation) and uses
// it to push for money or credentials, or that pretends to continue a conversation that never was.

import type { Finding, Message } from '../types.js';
import { firstName } from './contacts.js';
import { addressDomain, addressOrg, normAddress } from './domains.js';
import { findingMaker } from './finding.js';
import { isFreemail } from './freemail.js';
import { IMPERSONATION_ENGINE, type ImpersonationEnv, threadIds } from './impersonation.js';
import { isListAddress, isListMail } from './lists.js';
import { asksForSomething, findRequests, type RequestHit } from './requests.js';

/** Greetings are looked for in the first characters of the body only. */
const GREETING_WINDOW = 400;
/** Organisation labels shorter than this ("ab", "co") match too much ordinary text. */
const MIN_ORG_LABEL = 4;

const GREETING =
  /(?:^|\n)\s*(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|hallo|bonjour|hola|ciao)[ ,]+([\p{L}'-]{2,})/iu;

/** A subject that claims to be a reply or a forward. */
const REPLY_PREFIX = /^\s*(?:re|aw|sv|antw|rif|vs|r|odp|ynt)\s*(?:\[\d+\])?\s*:/i;

const finding = findingMaker(IMPERSONATION_ENGINE);

function recipientFirstNames(message: Message, env: ImpersonationEnv): string[] {
  const names = [...message.to.map((a) => a.name), ...env.book.self.map((c) => c.name)]
    .map(firstName)
    .filter(Boolean);
  return [...new Set(names)];
}

/** Organisation labels of the recipient ("yourcompany" for jane@yourcompany.example), free-mail left out. */
function recipientOrgLabels(message: Message, env: ImpersonationEnv): string[] {
  // A list's own address in To says nothing about the reader's organisation.
  const to = message.to.filter((a) => !(isListMail(message) && isListAddress(message, a.address)));
  const orgs = [...to.map((a) => addressOrg(a.address)), ...env.book.selfOrgs()].filter(
    (o) => o && !isFreemail(o),
  );
  return [...new Set(orgs.map((o) => o.split('.')[0]).filter((l) => l.length >= MIN_ORG_LABEL))];
}

function pressureWords(requests: RequestHit[]): string {
  return requests.map((r) => `"${r.match}"`).join(', ');
}

export function spearFindings(
  message: Message,
  env: ImpersonationEnv,
  targetId: string,
  requests: RequestHit[] = findRequests(message.subject, message.bodyText ?? message.text),
): Finding[] {
  const out: Finding[] = [];
  const from = normAddress(message.from?.address);
  const fromOrg = addressOrg(from);
  const body = message.bodyText ?? message.text ?? '';
  const pressing = asksForSomething(requests) || requests.some((r) => r.kind === 'urgency');

  // List mail is addressed to everyone on the list: knowing a name there is no sign of targeting.
  if (pressing && !isListMail(message)) {
    const greeting = GREETING.exec(body.slice(0, GREETING_WINDOW));
    const names = recipientFirstNames(message, env);
    if (greeting && names.includes(greeting[1].toLowerCase()) && !env.book.has(from)) {
      out.push(
        finding(
          'spear.addresses_recipient_by_name',
          asksForSomething(requests) ? 'medium' : 'low',
          `The message greets you by name ("${greeting[0].trim()}") and presses you: ${pressureWords(requests)}.`,
          { greeting: greeting[0].trim(), recipientName: greeting[1], requests, fromAddress: from },
          targetId,
        ),
      );
    }
    const text = `${message.subject ?? ''}\n${body.slice(0, 20_000)}`.toLowerCase();
    // Naming the organisation is only a cue together with a request: newsletters name it too.
    const quoted = !asksForSomething(requests)
      ? undefined
      : recipientOrgLabels(message, env).find(
          (label) =>
            label !== fromOrg.split('.')[0] &&
            new RegExp(`\\b${label.replace(/[^a-z0-9-]/g, '')}\\b`).test(text),
        );
    if (quoted && !env.book.orgDomains.has(fromOrg)) {
      out.push(
        finding(
          'spear.quotes_recipient_org',
          'medium',
          `The message names your organisation ("${quoted}") while coming from outside it (${from || 'unknown sender'}), and presses you: ${pressureWords(requests)}.`,
          { organisation: quoted, fromAddress: from, requests },
          targetId,
        ),
      );
    }
  }

  const subject = message.subject ?? '';
  if (REPLY_PREFIX.test(subject) && !isListMail(message)) {
    const ids = threadIds(message);
    if (!ids.length) {
      out.push(
        finding(
          'spear.reply_without_thread',
          pressing ? 'medium' : 'low',
          `The subject "${subject}" claims a reply, but the message refers to no earlier message (no In-Reply-To or References).`,
          { subject, fromAddress: from, fromDomain: addressDomain(from) },
          targetId,
        ),
      );
    } else if (env.knownThreadIds && env.threadHistory && env.knownThreadIds(ids).length === 0) {
      out.push(
        finding(
          'spear.reply_to_unknown_thread',
          pressing ? 'high' : 'medium',
          `The subject "${subject}" claims a reply to your conversation, but you never sent or received the message it answers.`,
          {
            subject,
            inReplyTo: message.inReplyTo,
            references: message.references.slice(0, 10),
            fromAddress: from,
          },
          targetId,
        ),
      );
    }
  }
  return out;
}
