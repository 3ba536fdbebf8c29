// Parser for Received headers: the hop's from/by names, the connecting IP and the date.

import type { ReceivedHop } from '../types.js';

const IPV4 = /\b((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})\b/;
const IPV6 = /\[(?:IPv6:)?([0-9a-fA-F:]{3,}(?::\d+\.\d+\.\d+\.\d+)?)\]/;

export function parseReceived(raw: string, position: number): ReceivedHop {
  const value = raw.replace(/\s+/g, ' ').trim();
  const hop: ReceivedHop = { raw: value, position };
  const semi = value.lastIndexOf(';');
  if (semi >= 0) {
    const date = value.slice(semi + 1).trim();
    if (date) hop.date = date;
  }
  const clauses = semi >= 0 ? value.slice(0, semi) : value;
  const from = /\bfrom\s+([^\s;()]+)/i.exec(clauses);
  if (from) hop.from = from[1];
  const by = /\bby\s+([^\s;()]+)/i.exec(clauses);
  if (by) hop.by = by[1];
  // The connecting IP is in the "from" clause's comment, before " by ".
  const byIdx = clauses.search(/\sby\s/i);
  const fromClause = byIdx >= 0 ? clauses.slice(0, byIdx) : clauses;
  const v6 = IPV6.exec(fromClause);
  const v4 = IPV4.exec(fromClause);
  if (v4) hop.ip = v4[1];
  else if (v6) hop.ip = v6[1];
  return hop;
}
