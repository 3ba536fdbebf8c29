// Placeholder registration; the owning area replaces it with its real subcommands.
import type { Command } from 'commander';

export function registerTrain(_program: Command): void {}
