// Drives a kubernetes-plugin Handler in-process: builds DnsRequests the way the server does and
// stands in for the plugins after it (an upstream that knows UPSTREAM_RECORDS), so handler
// tests need no sockets besides the stub API.
import type { Directive, DnsMessage, DnsRequest, Handler, Next, PluginContext, ResponseWriter } from '../../core/plugin.ts';
import { parseCorefile } from '../../corefile/parse.ts';
import { upstreamAnswer } from './upstream.ts';

export function directiveFrom(corefileBlock: string, file = 'Corefile'): Directive {
  const blocks = parseCorefile(`.:53 {\n  ${corefileBlock}\n}\n`, { file, isKnownPlugin: () => true, env: {} });
  const d = blocks[0]!.directives.find((x) => x.name === 'kubernetes');
  if (!d) throw new Error('no kubernetes directive in the block');
  return d;
}

export function testContext(over: Partial<PluginContext> = {}): PluginContext & { changes: number; lines: string[] } {
  const ctx = {
    zones: ['.'],
    port: 53,
    lines: [] as string[],
    changes: 0,
    log(line: string) { ctx.lines.push(line); },
    dataChanged() { ctx.changes++; },
    env: {},
    hooks: {},
    ...over,
  };
  return ctx;
}

export function request(name: string, type: string, id = 4242): DnsRequest {
  const fqdn = name.endsWith('.') ? name : `${name}.`;
  const msg: DnsMessage = { id, type: 'query', flags: 0x0100, questions: [{ name: fqdn.slice(0, -1), type: type as 'A', class: 'IN' }] };
  return {
    msg,
    qname: fqdn.toLowerCase(),
    qnameOriginal: fqdn,
    qtype: type,
    qclass: 'IN',
    client: { address: '127.0.0.1', port: 5353, transport: 'udp' },
    size: 40,
    bufSize: 512,
    do: false,
    zone: '.',
    startNs: process.hrtime.bigint(),
  };
}

export class MemoryWriter implements ResponseWriter {
  response: DnsMessage | undefined;
  write(msg: DnsMessage): void {
    this.response ??= msg;
  }
}

/** the rest of the chain: `forward` to an upstream that knows a few external names */
export const upstreamNext: Next = async (req, w) => {
  const { rcode, answers } = upstreamAnswer(req.qname, req.qtype);
  w.write({ id: req.msg.id, type: 'response', flags: 0x0100 | 0x0080 | rcode, questions: req.msg.questions, answers: answers.map((a) => ({ ...a, name: req.qnameOriginal.replace(/\.$/, '') })) });
  return rcode as 0 | 3;
};

export async function ask(h: Handler, name: string, type: string, next: Next = upstreamNext): Promise<{ rcode: number; msg: DnsMessage }> {
  const w = new MemoryWriter();
  const rcode = await h.serveDNS(request(name, type), w, next);
  if (!w.response) throw new Error(`handler wrote nothing for ${name} ${type} (rcode ${rcode})`);
  return { rcode, msg: w.response };
}
