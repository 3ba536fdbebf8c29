// Stable exit codes of the `suspect` command; documented in the README.

export const EXIT = {
  /** Every message/URL checked is safe; or a non-check command succeeded. */
  OK: 0,
  /** The worst verdict was suspicious. (exchange scan: traces worth investigating.) */
  SUSPICIOUS: 1,
  /** The worst verdict was dangerous. (exchange: open CVEs or traces of compromise.) */
  DANGEROUS: 2,
  /** Some input could not be read or analysed at all (the others were still reported). */
  ERROR: 3,
  /** The command line was wrong. */
  USAGE: 4,
} as const;

/** Lets an action report its exit code to main() without calling process.exit. */
export function setExitCode(
  cmd: { setOptionValue(key: string, value: unknown): unknown },
  code: number,
): void {
  cmd.setOptionValue('__exitCode', code);
}
