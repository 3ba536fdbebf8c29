// Machine output: one JSON object per report (JSON Lines). Attachment bytes are never included.

import type { Report } from '../types.js';

export function reportToJson(report: Report): string {
  return JSON.stringify(report);
}
