// Hashes of every file, for reputation look-ups (online engines query hashes, never the file).

import { createHash } from 'node:crypto';

export interface FileHashes {
  sha256: string;
  md5: string;
}

export function hashFile(content: Uint8Array): FileHashes {
  return {
    sha256: createHash('sha256').update(content).digest('hex'),
    md5: createHash('md5').update(content).digest('hex'),
  };
}
