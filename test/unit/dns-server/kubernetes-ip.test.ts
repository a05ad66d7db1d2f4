// Address forms the kubernetes plugin relies on: canonical text, reverse names, dashed names
// (K9, K17, K40) and CIDR reverse zones.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { addressFromReverse, canonicalIP, dashedIP, reverseName, reverseZonesForCidr } from '../../../dns-server/plugins/kubernetes/ip.ts';
import { podLabelIP } from '../../../dns-server/plugins/kubernetes/names.ts';

describe('canonical IPs', () => {
  const rows: Array<[string, string | undefined]> = [
    ['10.96.0.1', '10.96.0.1'], ['FD00:0:0::0005', 'fd00::5'], ['0:0:0:0:0:0:0:1', '::1'], ['fd00:10:244:3:0:0:0:47', 'fd00:10:244:3::47'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'], ['1:0:0:0:1:0:0:1', '1::1:0:0:1'], ['::ffff:1.2.3.4', '::ffff:102:304'], ['10.96.0.256', undefined], ['web', undefined], ['01.2.3.4', undefined],
  ];
  for (const [input, want] of rows) test(`${input} -> ${want}`, () => assert.equal(canonicalIP(input), want));
});

describe('reverse names', () => {
  const rows: Array<[string, string | undefined]> = [
    ['1.0.96.10.in-addr.arpa.', '10.96.0.1'],
    ['1.0.96.10.IN-ADDR.ARPA', '10.96.0.1'],
    ['0.96.10.in-addr.arpa.', undefined],
    ['01.0.96.10.in-addr.arpa.', undefined],
    ['300.0.96.10.in-addr.arpa.', undefined],
    [`${'6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f'}.ip6.arpa.`, 'fd00:10:96::6'],
    ['6.0.0.0.ip6.arpa.', undefined],
    ['svc1.testns.svc.cluster.local.', undefined],
  ];
  for (const [name, want] of rows) test(`${name} -> ${want}`, () => assert.equal(addressFromReverse(name), want));
  test('reverseName and addressFromReverse are inverses', () => {
    for (const ip of ['10.96.0.10', 'fd00:10:96::20', '::1', '2001:db8::ff00:42:8329']) assert.equal(addressFromReverse(reverseName(ip)), canonicalIP(ip));
  });
});

describe('dashed endpoint names (K40) and pod labels (K43)', () => {
  const rows: Array<[string, string]> = [['10.244.1.30', '10-244-1-30'], ['fd00:10:244:3::47', 'fd00-10-244-3--47'], ['fd00::', 'fd00--0'], ['FD00:0::1', 'fd00--1']];
  for (const [ip, want] of rows) test(`${ip} -> ${want}`, () => assert.equal(dashedIP(ip), want));
  const pods: Array<[string, string]> = [['10-244-1-30', '10.244.1.30'], ['fd00-10-244--21', 'fd00:10:244::21'], ['1-2-3', '1:2:3'], ['1-2-3-4-5', '1:2:3:4:5'], ['1--2-3-4', '1::2:3:4']];
  for (const [label, want] of pods) test(`pod label ${label} -> ${want}`, () => assert.equal(podLabelIP(label), want));
});

describe('CIDR reverse zones', () => {
  const rows: Array<[string, string[] | undefined]> = [
    ['10.0.0.0/8', ['10.in-addr.arpa.']],
    ['10.96.0.0/12', Array.from({ length: 16 }, (_, i) => `${96 + i}.10.in-addr.arpa.`)],
    ['192.168.1.0/24', ['1.168.192.in-addr.arpa.']],
    ['192.168.1.7/32', ['7.1.168.192.in-addr.arpa.']],
    ['fd00::/8', ['d.f.ip6.arpa.']],
    ['fd00::/6', ['c.f.ip6.arpa.', 'd.f.ip6.arpa.', 'e.f.ip6.arpa.', 'f.f.ip6.arpa.']],
    ['10.0.0.0/33', undefined],
    ['cluster.local', undefined],
  ];
  for (const [cidr, want] of rows) test(`${cidr}`, () => assert.deepEqual(reverseZonesForCidr(cidr), want));
});
