// The argv scanner shared by the CLIs (`npm run eval`, `npm run bench`): `--flag value` and
// `--flag=value` forms, a clear error when a value is missing, `--help` / `-h` handled once.

/**
 * Calls `onFlag(flag, value, arg)` for each argument; `value()` takes the flag's value (inline or the
 * next argument) and throws `usageError` when there is none. Returns false when --help was given.
 */
export function scanFlags(
  argv: string[],
  usageError: (message: string) => Error,
  onFlag: (flag: string, value: () => string, arg: string) => void,
): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    if (flag === '--help' || flag === '-h') return false;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw usageError(`${flag} needs a value`);
      return v;
    };
    onFlag(flag, value, arg);
  }
  return true;
}
