// Fits the verdict weights for URLs checked on their own (`suspect url`): the message weights are
// calibrated on whole messages, where the words carry most of the evidence, and would call almost any
// lone URL safe. Data: labeled URLs of calibration-split domains (the URL model never trained on them),
// run through the link engines of the panel (analyseUrl); evaluated on test-split domains.
// The blocklist engine is left out of the fit: its lists contain these very URLs, so it would take all
// the weight; its findings keep their severity weights (a listed URL is dangerous by the policy floor).

import { analyseUrl } from '../analyse.js';
import { allEngines } from '../engines/registry.js';
import type { Finding } from '../types.js';
import type { ScoringModel } from '../verdict/model.js';
import { scoreFindings } from '../verdict/score.js';
import { VERSION } from '../version.js';
import { fnv1a } from './hash.js';
import { fmt } from './metrics.js';
import { seededRandom, shuffleInPlace } from './rng.js';
import { fitScoringModel, type ScoreExample } from './train-score.js';
import { MAX_PER_DOMAIN, splitOf, TOP_RANK, URL_SEED } from './train-url.js';
import { loadLabeledUrls, loadPopularDomains } from './url-data.js';

/** URLs analysed per class and split: enough for stable thresholds, small enough to run in a minute. */
export const URL_SCORE_SAMPLE = 4000;
const ENGINES_LEFT_OUT = new Set(['blocklist']);

export async function fitUrlScoringModel(
  intelDir: string,
  log: (s: string) => void,
): Promise<{ model: ScoringModel; report: string }> {
  const all = loadLabeledUrls(intelDir);
  const popular = loadPopularDomains(intelDir);
  const random = seededRandom(URL_SEED + 1);
  shuffleInPlace(all, random);
  // At most a few URLs per domain, as for the URL model: one site's thousand redirect links would
  // otherwise decide the false-positive rate.
  const pick = (split: string, label: number) => {
    const perDomain = new Map<string, number>();
    return all
      .filter((r) => {
        if (r.label !== label || splitOf(r.domain) !== split) return false;
        const n = perDomain.get(r.domain) ?? 0;
        perDomain.set(r.domain, n + 1);
        return n < MAX_PER_DOMAIN;
      })
      .slice(0, URL_SCORE_SAMPLE);
  };
  const engines = allEngines().filter((e) => e.targets.includes('link') && !ENGINES_LEFT_OUT.has(e.name));
  const toExamples = async (rows: ReturnType<typeof pick>, name: string): Promise<ScoreExample[]> => {
    const out: ScoreExample[] = [];
    for (const r of rows) {
      const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(r.url) ? r.url : `http://${r.url}`;
      try {
        const rep = await analyseUrl(url, { engines });
        out.push({
          sha256: `${name}:${out.length}:${r.url}`,
          label: r.label === 1 ? 'phish' : 'ham',
          // Folds by domain, so one domain's URLs never straddle train and test.
          corpus:
            r.label === 1
              ? 'phish'
              : popular.has(r.domain) && popular.get(r.domain)! > TOP_RANK
                ? 'legit-popular-not-top'
                : 'legit',
          month: String(fnv1a(r.domain) % 97),
          findings: rep.findings.map((f) => ({ code: f.code, strength: f.strength, severity: f.severity })),
        });
      } catch {
        // An address the link parser rejects is not a URL a person could be sent; skip it.
      }
      if (out.length % 1000 === 0) log(`url-score: ${name} ${out.length}/${rows.length}`);
    }
    return out;
  };
  const fit = await toExamples([...pick('calib', 1), ...pick('calib', 0)], 'calibration');
  const test = await toExamples([...pick('test', 1), ...pick('test', 0)], 'test');
  const { model } = fitScoringModel(
    fit,
    log,
    'URLs of calibration-split domains through the link engines (blocklist left out)',
  );

  // Held-out figures: test-split domains, the scorer's own verdict (floors included, blocklist out).
  const lines = [
    '| test slice | phish | legit | dangerous: recall / FPR | suspicious or worse: recall / FPR |',
    '|---|---|---|---|---|',
  ];
  const slice = (name: string, legit: ScoreExample[]) => {
    const ph = test.filter((e) => e.label === 'phish');
    const lv = (e: ScoreExample) => scoreFindings(e.findings as Finding[], model).level;
    const rate = (es: ScoreExample[], ok: (l: string) => boolean) =>
      es.filter((e) => ok(lv(e))).length / Math.max(1, es.length);
    const d = (l: string) => l === 'dangerous';
    const s = (l: string) => l !== 'safe';
    lines.push(
      `| ${name} | ${ph.length} | ${legit.length} | ${fmt(rate(ph, d))} / ${fmt(rate(legit, d), 4)} | ${fmt(rate(ph, s))} / ${fmt(rate(legit, s), 4)} |`,
    );
  };
  slice(
    'all legit test URLs',
    test.filter((e) => e.label === 'ham'),
  );
  slice(
    'legit on popular-not-top domains',
    test.filter((e) => e.corpus === 'legit-popular-not-top'),
  );
  const report = lines.join('\n');
  log(report);
  model.version = `url-score-${VERSION}-${URL_SEED}`;
  model.training = { ...(model.training as object), command: 'suspect train --what url-score', test: report };
  return { model, report };
}
