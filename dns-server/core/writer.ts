// The ResponseWriter the server hands to the chain: keeps the first message written,
// already stamped with the request's id, RD/CD bits and question.
import type { DnsMessage, DnsRequest, ResponseWriter } from './plugin.ts';
import { FLAG_RD, FLAG_CD, FLAG_QR, OPCODE_MASK } from '../wire/constants.ts';

export class ServerWriter implements ResponseWriter {
  private msg: DnsMessage | undefined;
  constructor(private readonly req: DnsRequest) {}

  write(msg: DnsMessage): void {
    if (this.msg) return;
    const reqFlags = this.req.msg.flags ?? 0;
    const flags = ((msg.flags ?? 0) & ~(FLAG_RD | FLAG_CD | OPCODE_MASK | FLAG_QR)) | (reqFlags & (FLAG_RD | FLAG_CD | OPCODE_MASK));
    this.msg = { ...msg, id: this.req.msg.id, type: 'response', flags, questions: this.req.msg.questions };
  }

  get response(): DnsMessage | undefined {
    return this.msg;
  }
}
