// The sender address a reader's mail program shows. A From header with an unquoted comma
// ("Microsoft account team ,_<no-reply@x.example>") parses as two mailboxes, the first without an
// address; phishing uses this to show a name alone. The checks then use the address that is there.

import type { Address, Message } from '../types.js';

const ANGLE_ADDRESS = /<\s*([^<>\s@]+@[^<>\s@]+)\s*>/g;
const BARE_ADDRESS = /([^\s<>",;:()]+@[^\s<>",;:()]+\.[^\s<>",;:()]+)/;

/** The address the From header really carries, when the parser found none in its first mailbox. */
export function recoveredFrom(message: Message): Address | undefined {
  if (message.from?.address) return undefined;
  const raw = message.headers.find((h) => h.key === 'from')?.value;
  if (!raw) return undefined;
  const angle = [...raw.matchAll(ANGLE_ADDRESS)].pop();
  const address = angle?.[1] ?? BARE_ADDRESS.exec(raw)?.[1];
  if (!address) return undefined;
  const name = (message.from?.name || raw.slice(0, angle?.index ?? raw.indexOf(address)))
    .replace(/["']/g, '')
    .replace(/[\s,;_]+$/, '')
    .trim();
  return { name, address: address.trim() };
}

/** The message as the sender checks see it: From repaired when it was malformed. */
export function senderView(message: Message): Message {
  const from = recoveredFrom(message);
  return from ? { ...message, from } : message;
}
