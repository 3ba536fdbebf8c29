// Types of the sender checks: authentication outcomes and contacts.

/**
 * One authentication outcome, kept apart as the issue demands: a missing key on old mail is not a
 * forgery, a DNS timeout is not "no record", and "not checked" is not "none".
 */
export type AuthVerdict =
  | 'pass'
  | 'fail'
  | 'softfail'
  | 'neutral'
  | 'none'
  | 'policy'
  | 'temperror'
  | 'permerror'
  /** DKIM key no longer published in DNS: likely rotated on old mail, forged or broken on new mail. */
  | 'key-missing'
  /** DKIM signature past its x= expiry at verification time. */
  | 'expired'
  /** Could not be checked: no DNS, no client IP, nothing trusted recorded. */
  | 'not-checked';

export type AuthMethod = 'spf' | 'dkim' | 'dmarc' | 'arc';

export interface AuthOutcome {
  method: AuthMethod;
  result: AuthVerdict;
  /** 'verified' = checked by Suspect now; 'recorded' = read from a trusted server's Authentication-Results. */
  source: 'verified' | 'recorded' | 'none';
  /** Domain the outcome is about (DKIM d=, SPF MAIL FROM domain, DMARC From domain). */
  domain?: string;
  selector?: string;
  /** Plain-words explanation, e.g. "the message body was changed after it was signed". */
  detail: string;
  /** authserv-id of the trusted server, for recorded outcomes. */
  authservId?: string;
  /** DKIM: whether the signing domain aligns with the From domain. */
  aligned?: boolean;
}

export interface ClientIpOrigin {
  ip: string;
  helo?: string;
  /** The trusted server that wrote the Received header the IP came from. */
  receivedBy: string;
  /** Position of that Received header, 0 = topmost. */
  hopPosition: number;
}

export interface AuthReport {
  dns: 'off' | 'cache' | 'live';
  spf: AuthOutcome;
  /** One per DKIM signature; a single not-checked/none outcome when there are none. */
  dkim: AuthOutcome[];
  dmarc: AuthOutcome & { policy?: string; hasRecord?: boolean };
  arc: AuthOutcome;
  clientIp?: ClientIpOrigin;
  /** Why some method could not be checked, in plain words. */
  notes: string[];
}

export interface Contact {
  address: string;
  name?: string;
  /** Where we know it from: 'vcard', 'csv', 'learned', 'self' (the user's own address). */
  source: string;
}
