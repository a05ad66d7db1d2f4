// busybox 1.28.4's help texts (the `//usage:` lines of its applets, with the defconfig features
// the docker image was built with: FANCY_HEAD/TAIL, UNICODE_SUPPORT, DESKTOP, SHOW_THREADS,
// NC_110_COMPAT, tar's create/gz/xz/bz2/lzma/-m/-T/-X/long options), and getopt32's handling
// of an unknown option: libc getopt's complaint, then the usage text, exit 1.
import type { Output, Toolbox } from './context.ts';

/** who an applet's messages go to, and the image it runs in (for GNU's wording in Debian images) */
type Io = Pick<Output, 'err'> & { toolbox?: Toolbox };

export const BANNER = 'BusyBox v1.28.4 (2018-05-22 17:00:17 UTC)';

const N_SUFFIX = '\nN may be suffixed by k (x1024), b (x512), or m (x1024^2).';

/** applet -> trivial usage + full usage, as bb_show_usage prints them after "Usage: <applet> " */
export const USAGE: Record<string, string> = {
  head: '[OPTIONS] [FILE]...\n\nPrint first 10 lines of each FILE (or stdin) to stdout.\n' +
    'With more than one FILE, precede each with a filename header.\n' +
    '\n\t-n N[kbm]\tPrint first N lines\n\t-n -N[kbm]\tPrint all except N last lines\n\t-c [-]N[kbm]\tPrint first N bytes' +
    '\n\t-q\t\tNever print headers\n\t-v\t\tAlways print headers\n' + N_SUFFIX,
  tail: '[OPTIONS] [FILE]...\n\nPrint last 10 lines of each FILE (or stdin) to stdout.\n' +
    'With more than one FILE, precede each with a filename header.\n' +
    '\n\t-f\t\tPrint data as file grows\n\t-c [+]N[kbm]\tPrint last N bytes\n\t-n N[kbm]\tPrint last N lines' +
    '\n\t-n +N[kbm]\tStart on Nth line and print the rest\n\t-q\t\tNever print headers\n\t-s SECONDS\tWait SECONDS between reads with -f' +
    '\n\t-v\t\tAlways print headers\n\t-F\t\tSame as -f, but keep retrying\n' + N_SUFFIX,
  wc: '[-cmlwL] [FILE]...\n\nCount lines, words, and bytes for each FILE (or stdin)\n' +
    '\n\t-c\tCount bytes\n\t-m\tCount characters\n\t-l\tCount newlines\n\t-w\tCount words\n\t-L\tPrint longest line length',
  grep: '[-HhnlLoqvsriwFE] [-m N] [-A/B/C N] PATTERN/-e PATTERN.../-f FILE [FILE]...\n\nSearch for PATTERN in FILEs (or stdin)\n' +
    "\n\t-H\tAdd 'filename:' prefix\n\t-h\tDo not add 'filename:' prefix\n\t-n\tAdd 'line_no:' prefix" +
    "\n\t-l\tShow only names of files that match\n\t-L\tShow only names of files that don't match" +
    '\n\t-c\tShow only count of matching lines\n\t-o\tShow only the matching part of line' +
    '\n\t-q\tQuiet. Return 0 if PATTERN is found, 1 otherwise\n\t-v\tSelect non-matching lines' +
    '\n\t-s\tSuppress open and read errors\n\t-r\tRecurse\n\t-i\tIgnore case\n\t-w\tMatch whole words only' +
    '\n\t-x\tMatch whole lines only\n\t-F\tPATTERN is a literal (not regexp)\n\t-E\tPATTERN is an extended regexp' +
    "\n\t-m N\tMatch up to N times per file\n\t-A N\tPrint N lines of trailing context\n\t-B N\tPrint N lines of leading context" +
    "\n\t-C N\tSame as '-A N -B N'\n\t-e PTRN\tPattern to match\n\t-f FILE\tRead pattern from file",
  tar: 'c|x|t [-zJjahmvO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [--exclude PATTERN]... [FILE]...\n\n' +
    'Create, extract, or list files from a tar file\n\nOperation:\n\tc\tCreate\n\tx\tExtract\n\tt\tList' +
    "\n\t-f FILE\tName of TARFILE ('-' for stdin/out)\n\t-C DIR\tChange to DIR before operation\n\t-v\tVerbose" +
    '\n\t-z\t(De)compress using gzip\n\t-J\t(De)compress using xz\n\t-j\t(De)compress using bzip2\n\t-a\t(De)compress using lzma' +
    "\n\t-O\tExtract to stdout\n\t-h\tFollow symlinks\n\t-m\tDon't restore mtime" +
    '\n\t-T FILE\tFile with names to include\n\t-X FILE\tFile with glob patterns to exclude\n\t--exclude PATTERN\tGlob pattern to exclude',
  nc: '[OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n\n' +
    '\t-e PROG\tRun PROG after connect (must be last)\n\t-l\tListen mode, for inbound connects\n\t-lk\tWith -e, provides persistent server' +
    '\n\t-p PORT\tLocal port\n\t-s ADDR\tLocal address\n\t-w SEC\tTimeout for connects and final net reads\n\t-i SEC\tDelay interval for lines sent' +
    "\n\t-n\tDon't do DNS resolution\n\t-u\tUDP mode\n\t-v\tVerbose\n\t-o FILE\tHex dump traffic\n\t-z\tZero-I/O mode (scanning)",
  ps: '[-o COL1,COL2=HEADER] [-T]\n\nShow list of processes\n\n\t-o COL1,COL2=HEADER\tSelect columns for display\n\t-T\t\t\tShow threads',
  nslookup: '[HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server',
  cat: '[-nbvteA] [FILE]...\n\nPrint FILEs to stdout\n\n\t-n\tNumber output lines\n\t-b\tNumber nonempty lines' +
    '\n\t-v\tShow nonprinting characters as ^x or M-x\n\t-t\t...and tabs as ^I\n\t-e\t...and end lines with $\n\t-A\tSame as -vte',
  touch: "[-c] [-d DATE] [-t DATE] [-r FILE] FILE...\n\nUpdate the last-modified date on the given FILE[s]\n\n\t-c\tDon't create files" +
    "\n\t-h\tDon't follow links\n\t-d DT\tDate/time to use\n\t-t DT\tDate/time to use\n\t-r FILE\tUse FILE's date/time",
  mkdir: '[OPTIONS] DIRECTORY...\n\nCreate DIRECTORY\n\n\t-m MODE\tMode\n\t-p\tNo error if exists; make parent directories as needed',
  rm: '[-irf] FILE...\n\nRemove (unlink) FILEs\n\n\t-i\tAlways prompt before removing\n\t-f\tNever prompt\n\t-R,-r\tRecurse',
};

/** bb_show_usage: the banner and the applet's usage on stderr; the caller exits 1 (0 for --help) */
export function showUsage(io: Io, applet: string): void {
  io.err(`${BANNER} multi-call binary.\n\nUsage: ${applet} ${USAGE[applet] ?? ''}\n`);
}

/** whether the applet stands for GNU coreutils (or GNU grep) in this image */
export const gnuWording = (io: Io): boolean => io.toolbox?.gnu !== undefined;

/** GNU's usage(EXIT_FAILURE): grep's one-line usage, then the pointer to --help */
function gnuTryHelp(io: Io, applet: string): void {
  if (applet === 'grep') io.err(`${io.toolbox?.gnu?.grepUsage ?? ''}\n`);
  io.err(`Try '${applet} --help' for more information.\n`);
}

/** GNU's words for an operand left out: touch's, mkdir's and rm's own, grep's usage */
const GNU_MISSING: Record<string, string> = { touch: 'missing file operand', mkdir: 'missing operand', rm: 'missing operand' };

/** no operand given: busybox prints its usage; GNU names what is missing and points to --help */
export function missingOperand(io: Io, applet: string): void {
  if (!gnuWording(io)) return showUsage(io, applet);
  if (GNU_MISSING[applet]) io.err(`${applet}: ${GNU_MISSING[applet]}\n`);
  gnuTryHelp(io, applet);
}

export interface Options {
  /** single-letter flags seen, in order, with their arguments */
  flags: Map<string, string[]>;
  operands: string[];
}

/**
 * getopt32 over a getopt spec ("n:c:qv": a letter, ':' when it takes an argument): options
 * up to the first operand (or "--"), grouped letters allowed. An unknown letter or a missing
 * argument prints getopt's message and the usage, and returns undefined (exit 1).
 */
export function getopts(io: Io, applet: string, argv: string[], spec: string, opts: { anywhere?: boolean } = {}): Options | undefined {
  const takes = new Map<string, boolean>();
  for (let i = 0; i < spec.length; i++) if (spec[i] !== ':') takes.set(spec[i], spec[i + 1] === ':');
  const flags = new Map<string, string[]>();
  const operands: string[] = [];
  let done = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (done || a === '-' || !a.startsWith('-')) {
      operands.push(a);
      if (!opts.anywhere) done = true;
      continue;
    }
    if (a === '--') { done = true; continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (!takes.has(c)) {
        // glibc's getopt words it (for both), then GNU points to --help where busybox prints its usage
        io.err(`${applet}: ${a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${c}'`}\n`);
        if (gnuWording(io)) gnuTryHelp(io, applet); else showUsage(io, applet);
        return undefined;
      }
      const list = flags.get(c) ?? [];
      flags.set(c, list);
      if (!takes.get(c)) { list.push(''); continue; }
      const arg = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
      if (arg === undefined) {
        io.err(`${applet}: option requires an argument -- '${c}'\n`);
        if (gnuWording(io)) gnuTryHelp(io, applet); else showUsage(io, applet);
        return undefined;
      }
      list.push(arg);
      break;
    }
  }
  return { flags, operands };
}

/** N[kbm]: busybox's xatoi with the k/b/m suffixes; undefined when not a number */
export function sizeArg(text: string): number | undefined {
  const m = /^(\d+)([kbm]?)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, k: 1024, b: 512, m: 1024 * 1024 } as Record<string, number>)[m[2]];
}
