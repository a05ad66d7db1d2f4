// "fallthrough [ZONES...]": which names a plugin passes down the chain instead of answering.
import { normalizeZone } from '../corefile/address.ts';
import { inZone } from './respond.ts';

export class Fallthrough {
  constructor(readonly zones: string[] = []) {}
  static parse(args: string[]): Fallthrough {
    return new Fallthrough(args.length === 0 ? ['.'] : args.map(normalizeZone));
  }
  through(qname: string): boolean {
    return this.zones.some((z) => inZone(qname, z));
  }
}
