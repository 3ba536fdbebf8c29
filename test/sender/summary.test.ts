import { describe, expect, it } from 'vitest';
import { headerAnomalyEngine } from '../../src/engines/header-anomaly.js';
import { impersonationEngine } from '../../src/engines/impersonation.js';
import { senderAuthEngine } from '../../src/engines/sender-auth.js';
import { senderSummary } from '../../src/sender/summary.js';
import { fixture, run, storeAndOptions } from './engine-helpers.js';
import { messageOf } from './helpers.js';

describe('senderSummary', () => {
  it('says in plain words who it looks like and where it came from', async () => {
    const ctx = await storeAndOptions();
    const file = 'contact-name-freemail.eml';
    const findings = (
      await Promise.all(
        [senderAuthEngine, impersonationEngine, headerAnomalyEngine].map((e) => run(e, file, ctx)),
      )
    ).flatMap((o) => o.findings);
    const text = senderSummary(findings, await messageOf(fixture(file)));
    expect(text).toContain(
      'This looks like Jane Smith, whom you write to, but it came from jane.smith.work@gmail.com, not jane@yourcompany.example.',
    );
    expect(text.split('\n')[0]).toBe('The message says it is from Jane Smith <jane.smith.work@gmail.com>.');
    expect(text).toContain('could not be checked');
    expect(text).not.toContain('Nothing suggests');
  });

  it('reassures when nothing is wrong', async () => {
    const ctx = await storeAndOptions();
    const file = 'fp-colleague.eml';
    const findings = (await run(impersonationEngine, file, ctx)).findings;
    expect(senderSummary(findings, await messageOf(fixture(file)))).toContain(
      'Nothing suggests the sender is someone other',
    );
  });
});
