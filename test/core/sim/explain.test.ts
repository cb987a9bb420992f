import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionOf } from '../../../src/core/sim/explain';
import type { Disposition, ReplyTrace } from '../../../src/core/sim/types';

const reply = (disposition: Disposition, matchesRequest?: boolean): ReplyTrace => ({ disposition, at: 'x', hops: [], ...(matchesRequest === undefined ? {} : { matchesRequest }) });

void test('connection verdicts from the forward disposition and the reply', () => {
  const table: [Disposition, ReplyTrace | undefined, string | undefined][] = [
    ['delivered', reply('delivered', true), 'ok'],
    ['delivered', reply('delivered', false), 'broken'],
    ['delivered', reply('dropped'), 'timeout'],
    ['delivered', reply('blackhole'), 'timeout'],
    ['delivered', undefined, 'timeout'],
    ['rejected', reply('delivered', true), 'refused'],
    ['rejected', reply('dropped'), 'timeout'],
    ['no-route', reply('delivered', true), 'refused'],
    ['loop', reply('delivered', true), 'refused'],
    ['loop', undefined, 'timeout'],
    ['dropped', undefined, 'timeout'],
    ['blackhole', undefined, 'timeout'],
    ['exited', undefined, undefined],
  ];
  for (const [d, r, want] of table) assert.equal(connectionOf({ disposition: d }, r), want, `${d} / ${r?.disposition}`);
});
