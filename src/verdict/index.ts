// The verdict: fitted scoring plus plain-language advice.
export { adviceFor } from './advice.js';
export { loadScoringModel, type ScoringModel } from './model.js';
export { type Scored, scoreFindings } from './score.js';
