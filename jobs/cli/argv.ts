/** Global options of `cdw` that take a value (they come before the command). */
const GLOBAL_WITH_VALUE = new Set(['-c', '--config']);

/** Index in argv (node, script, …) of the command name, or -1 when there is none. */
function commandIndex(argv: readonly string[]): number {
  let i = 2;
  while (i < argv.length && argv[i]!.startsWith('-')) i += GLOBAL_WITH_VALUE.has(argv[i]!) ? 2 : 1;
  return i < argv.length ? i : -1;
}

/** The command the user asked for (`cdw help X` asks for X), or undefined. */
export function commandOf(argv: readonly string[]): string | undefined {
  const i = commandIndex(argv);
  if (i < 0) return undefined;
  return argv[i] === 'help' ? argv[i + 1] : argv[i];
}

/**
 * `cdw sql -c "…"` reads like psql, but the program's own `-c` (--config) would take the flag:
 * after the `sql` subcommand, `-c` means `--command`. Applied by main() before parsing.
 */
export function sqlArgv(argv: readonly string[]): string[] {
  const i = commandIndex(argv);
  if (i < 0 || argv[i] !== 'sql') return [...argv];
  return argv.map((a, j) => (j > i && a === '-c' ? '--command' : a));
}
