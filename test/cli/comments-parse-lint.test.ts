/**
 * A dump's own `#` notes are comments, not shell prompts, and `parse` (the file
 * alone) and `lint` (the file through its topology) say the same about it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../bad-input/harness';

const NAT = `# k8s-agent-0: the node's nat table, as the write-up shows it.
# kube-proxy of that era also wrote a KUBE-MARK-DROP chain; it is not shown here.
# iptables -t nat -L -n -v
Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination
    0     0 KUBE-SERVICES  all  --  *      *       0.0.0.0/0            0.0.0.0/0
# the rules below are the ones the seed shows for this chain
    0     0 DOCKER     all  --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL

Chain KUBE-SERVICES (1 references)
 pkts bytes target     prot opt in     out     source               destination

Chain DOCKER (1 references)
 pkts bytes target     prot opt in     out     source               destination
`;

const TOPO = `apiVersion: kube-netsim/v1
kind: Cluster
spec:
  clusterCIDR: 10.244.0.0/16
  serviceCIDR: 10.0.0.0/16
  routers:
    - {name: gw, ip: 10.240.0.1}
  nodes:
    - name: n0
      ip: 10.240.0.4
      podCIDR: 10.244.0.0/24
      iptables:
        nat: {file: nat.txt}
`;

interface Found { code: string; file: string; line: number; message: string }

void test('prose `#` lines of a dump: no "shell prompt skipped", and parse and lint report the same for the file', async () => {
  const files = { 'nat.txt': NAT, 't.netsim.yaml': TOPO };
  const p = await run(['parse', 'nat.txt', '--json'], files);
  assert.equal(p.code, 0, p.err);
  const parsed = (JSON.parse(p.out) as { format: string; issues: Found[] });
  assert.equal(parsed.format, 'iptables-list');
  const l = await run(['lint', 't.netsim.yaml', '--json'], files);
  const linted = (JSON.parse(l.out) as Found[]).filter((i) => i.file === 'nat.txt' && /^(?:pasted-|iptables-)/.test(i.code));
  const key = (i: Found): string => `${i.line} ${i.code}`;
  assert.deepEqual(parsed.issues.map(key), ['3 pasted-prompt']);
  assert.deepEqual(linted.map(key), parsed.issues.map(key));
  assert.ok(parsed.issues.every((i) => !/kube-proxy of that era|rules below/.test(i.message)));
});

void test('a `#` line naming a command is still a prompt, even when words follow it', async () => {
  const files = { 'r.txt': '# ip route show table main\ndefault via 10.240.0.1 dev eth0\n10.240.0.0/16 dev eth0 proto kernel scope link src 10.240.0.4\n' };
  const p = await run(['parse', 'r.txt', '--json'], files);
  assert.equal(p.code, 0, p.err);
  assert.deepEqual((JSON.parse(p.out) as { issues: Found[] }).issues.map((i) => `${i.line} ${i.code}`), ['1 pasted-prompt']);
});
