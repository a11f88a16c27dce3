import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { formatReport } from './report';
import { verifyPackage, VerifierUsageError } from './verify-package';

export const VERIFY_PACKAGE_USAGE = `usage: npm run cli -- verify-package FILE.zip --key VKEY [--key WITNESS_VKEY]... [--checkpoint FILE]

  --key VKEY         the log's verifier key you pinned (<name>+<key id>+<key>), or a file holding it; repeat it for
                     each witness whose co-signature every checkpoint must carry
  --checkpoint FILE  a signed checkpoint kept from an earlier package: this package's history must extend it

exit 0: the package verifies; 1: it does not (the first fault is named); 2: the command was used wrongly`;

interface Arguments {
  file: string;
  keys: string[];
  checkpoint?: string;
}

function parseArguments(argv: string[]): Arguments | string {
  const files: string[] = [];
  const keys: string[] = [];
  let checkpoint: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--key' || flag === '--checkpoint') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') return `${flag} needs a value`;
      if (flag === '--key') keys.push(value);
      else if (checkpoint !== undefined) return '--checkpoint is given twice';
      else checkpoint = value;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length !== 1) return files.length === 0 ? 'name the package (FILE.zip)' : `one package at a time, not ${files.join(', ')}`;
  if (keys.length === 0) return 'pin the log’s verifier key with --key';
  return { file: files[0], keys, checkpoint };
}

/** A key given as a file holding it (checkpoint.vkey, say), or as its text. */
async function keyText(value: string): Promise<string> {
  return existsSync(value) ? (await readFile(value, 'utf8')).trim() : value;
}

function usage(message: string): number {
  console.error(`${message}\n\n${VERIFY_PACKAGE_USAGE}`);
  return 2;
}

/** `verify-package`: checks an audit package offline; progress on stderr, the report on stdout. */
export async function verifyPackageCommand(argv: string[]): Promise<number> {
  const args = parseArguments(argv);
  if (typeof args === 'string') return usage(args);
  if (!(await stat(args.file).catch(() => null))?.isFile()) return usage(`no file ${args.file}`);
  let checkpoint: string | undefined;
  if (args.checkpoint !== undefined) {
    try {
      checkpoint = await readFile(args.checkpoint, 'utf8');
    } catch (err) {
      return usage(`cannot read ${args.checkpoint}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const started = Date.now();
  try {
    // Progress goes to stderr, one line a stage and every 100,000 events or lines, so stdout holds the report alone.
    const report = await verifyPackage(args.file, {
      keys: await Promise.all(args.keys.map(keyText)),
      checkpoint,
      onProgress: ({ stage, done, total }) => process.stderr.write(`${stage}: ${done}${total !== undefined ? ` of ${total}` : ''}\n`),
    });
    process.stderr.write(`verified in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    console.log(formatReport(report));
    return report.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof VerifierUsageError) return usage(err.message);
    throw err;
  }
}
