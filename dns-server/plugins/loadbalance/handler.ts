// Shuffles A, AAAA and MX answers (CNAMEs stay first), also in answers served from the
// server's answer cache, where the same-size rdata is swapped in place.
import type { DnsMessage, DnsRecord, DnsRequest, Handler, Next, ResponseWriter } from '../../core/plugin.ts';
import type { FastHitObserver, HitEvent } from '../../core/fast-path.ts';

const SHUFFLED = new Set(['A', 'AAAA', 'MX']);

export function shuffleAnswers(answers: DnsRecord[]): DnsRecord[] {
  const fixed = answers.filter((r) => !SHUFFLED.has(r.type));
  const moving = answers.filter((r) => SHUFFLED.has(r.type));
  if (moving.length < 2) return answers;
  for (let i = moving.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [moving[i], moving[j]] = [moving[j]!, moving[i]!];
  }
  return [...fixed.filter((r) => r.type === 'CNAME'), ...fixed.filter((r) => r.type !== 'CNAME'), ...moving];
}

export class LoadbalanceHandler implements Handler, FastHitObserver {
  readonly name = 'loadbalance';
  private readonly tmp4 = Buffer.alloc(4);
  private readonly tmp16 = Buffer.alloc(16);

  serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    const wrapped: ResponseWriter = {
      write(msg: DnsMessage) {
        w.write({ ...msg, answers: shuffleAnswers(msg.answers ?? []) });
      },
      get response() {
        return w.response;
      },
    };
    return next(req, wrapped);
  }

  onFastHit(ev: HitEvent): void {
    for (const set of ev.rrsets) {
      const { offsets, rdlen } = set;
      const tmp = rdlen === 4 ? this.tmp4 : this.tmp16;
      for (let i = offsets.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        if (i === j) continue;
        const a = offsets[i]!;
        const b = offsets[j]!;
        ev.tail.copy(tmp, 0, a, a + rdlen);
        ev.tail.copy(ev.tail, a, b, b + rdlen);
        tmp.copy(ev.tail, b);
      }
    }
  }
}
