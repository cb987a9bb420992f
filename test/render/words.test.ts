import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Disposition, Outcome, ReplyTrace } from '../../src/core/sim/types';
import { describeConnection, describeOutcome, describeReply, outcomeSentence } from '../../src/render/words';
import { DNS_B, seedOutcomes } from '../fixtures/render/seed';

const ended = (disposition: Disposition, at: string, reply?: ReplyTrace): Outcome => ({ probability: 1, disposition, at, hops: [], reply });

void test('each disposition is said in words, naming where it happened', () => {
  const cases: [Disposition, string][] = [
    ['rejected', 'rejected by k8s-agent-0'],
    ['dropped', 'dropped by k8s-agent-0'],
    ['no-route', 'no route at k8s-agent-0'],
    ['blackhole', 'blackholed at k8s-agent-0'],
    ['loop', 'looped (TTL ran out) at k8s-agent-0'],
    ['exited', 'left the modelled network at k8s-agent-0'],
    ['delivered', 'delivered at k8s-agent-0'],
  ];
  for (const [d, want] of cases) assert.equal(describeOutcome(ended(d, 'k8s-agent-0')), want, d);
});

void test('a delivered outcome names the pod, its address and its node', () => {
  assert.equal(describeOutcome(seedOutcomes()[1]), `delivered to ${DNS_B} (10.244.1.2:53) on k8s-agent-1`);
  assert.equal(describeOutcome({ ...ended('delivered', 'web'), delivered: { ip: '192.168.1.10', host: 'web' } }), 'delivered to web (192.168.1.10)');
});

void test('the connection as a socket would see it', () => {
  const back = (d: Disposition, at = 'default/ubuntu'): ReplyTrace => ({ disposition: d, at, hops: [] });
  const cases: [string, Outcome, string | undefined][] = [
    ['both ways', { ...ended('delivered', 'p'), reply: back('delivered') }, 'connection works'],
    ['reply blackholed', { ...ended('delivered', 'p'), reply: back('blackhole', 'azure-gateway') }, 'connection times out'],
    ['reply dropped', { ...ended('delivered', 'p'), reply: back('dropped', 'k8s-agent-1') }, 'connection times out'],
    ['reply from the wrong address', { ...ended('delivered', 'p'), reply: { ...back('delivered'), matchesRequest: false } }, 'connection broken'],
    ['dropped', ended('dropped', 'n'), 'connection times out'],
    ['rejected', { ...ended('rejected', 'n'), reply: back('delivered') }, 'connection refused'],
    ['rejected, error lost', { ...ended('rejected', 'n'), reply: back('dropped', 'r') }, 'connection times out'],
    ['no route', ended('no-route', 'n'), 'connection fails at once (host unreachable)'],
    ['explicit', { ...ended('delivered', 'p'), connection: 'timeout' }, 'connection times out'],
    ['delivered, no reply traced', ended('delivered', 'p'), undefined],
  ];
  for (const [name, o, want] of cases) assert.equal(describeConnection(o), want, name);
});

void test('the one-line sentence mentions a failed reply and its consequence', () => {
  const o: Outcome = { ...seedOutcomes()[1], connection: undefined, reply: { disposition: 'blackhole', at: 'azure-gateway', hops: [] } };
  assert.equal(outcomeSentence(o), `delivered to ${DNS_B} (10.244.1.2:53) on k8s-agent-1; reply blackholed at azure-gateway → connection times out`);
  assert.equal(outcomeSentence(seedOutcomes()[0]), `${describeOutcome(seedOutcomes()[0])} → connection works`);
  assert.equal(describeReply({ disposition: 'dropped', at: 'k8s-agent-1', hops: [] }), 'reply dropped by k8s-agent-1');
});
