// Fills CoreDNS's log placeholders ({remote}, {>id}, {duration} ...) from one query's facts.
import { flagsText, rcodeName } from '../../wire/constants.ts';

export interface LogFacts {
  remote: string;
  port: number;
  id: number;
  opcode: number;
  type: string;
  class: string;
  name: string;
  proto: string;
  size: number;
  do: boolean;
  bufsize: number;
  rcode: number;
  flags: number;
  rsize: number;
  durationNs: bigint;
}

/** Go's strconv.FormatFloat(seconds, 'f', -1, 64) + "s" */
export function formatSeconds(ns: bigint): string {
  const s = Number(ns) / 1e9;
  let t = s >= 1e-6 || s === 0 ? String(s) : s.toFixed(9).replace(/0+$/, '');
  if (t.includes('e')) t = s.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
  return t + 's';
}

const PLACEHOLDER = /\{(>?[a-z]+)\}/g;

export function formatLine(format: string, f: LogFacts): string {
  return format.replace(PLACEHOLDER, (m, key: string) => {
    switch (key) {
      case 'remote': return f.remote.includes(':') ? `[${f.remote}]` : f.remote;
      case 'port': return String(f.port);
      case '>id': return String(f.id);
      case 'type': return f.type;
      case 'class': return f.class;
      case 'name': return f.name;
      case 'proto': return f.proto;
      case 'size': return String(f.size);
      case '>do': return String(f.do);
      case '>bufsize': return String(f.bufsize);
      case 'rcode': return rcodeName(f.rcode);
      case '>rflags': return flagsText(f.flags);
      case 'rsize': return String(f.rsize);
      case 'duration': return formatSeconds(f.durationNs);
      case '>opcode': return ['QUERY', 'IQUERY', 'STATUS', '', 'NOTIFY', 'UPDATE'][f.opcode] ?? String(f.opcode);
      case 'when': return new Date().toISOString();
      default: return m;
    }
  });
}
