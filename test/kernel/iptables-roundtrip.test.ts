// The kernel as the judge of the iptables parsers and printer: a kube-proxy
// shaped ruleset is loaded into a namespace; what the kernel then holds
// (iptables-save) is parsed and printed back, the printed text is loaded into
// a fresh namespace with iptables-restore, and that namespace's iptables-save
// must equal the first. The same is done starting from the `iptables -L -n -v`
// listings of the nat and filter tables.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, kernelUnavailable } from './netns';
import { kubeProxyRules, type LabService } from './kube-proxy-rules';
import { parseIptablesSave } from '../../src/core/parse/iptables/parse-iptables-save';
import { parseIptablesList } from '../../src/core/parse/iptables/parse-iptables-list';
import { printIptablesSave } from '../../src/core/parse/iptables/print-iptables-save';
import type { Ruleset } from '../../src/core/model/netfilter';

const skip = kernelUnavailable();

const ep = (ip: string, port: number) => ({ ip, port });
const SERVICES: LabService[] = [
  { namespace: 'kube-system', name: 'kube-dns', portName: 'dns', clusterIP: '10.0.0.10', port: 53, protocol: 'udp', endpoints: [ep('10.244.0.2', 53), ep('10.244.1.2', 53)] },
  { namespace: 'default', name: 'echo', portName: 'http', clusterIP: '10.0.0.40', port: 80, protocol: 'tcp', endpoints: [ep('10.244.0.2', 8080), ep('10.244.1.2', 8080), ep('10.244.1.6', 8080)], probabilities: [0.2, 0.5], nodePort: 30080 },
  { namespace: 'default', name: 'empty', portName: 'http', clusterIP: '10.0.0.20', port: 80, protocol: 'tcp', endpoints: [] },
];
const EXTRA_FILTER = [
  '-I FORWARD -d 10.244.1.6/32 -p tcp --dport 8083 -j REJECT --reject-with tcp-reset',
  '-I FORWARD -d 10.244.1.6/32 -p udp --dport 8082 -j REJECT',
  '-I FORWARD -m conntrack --ctstate INVALID -j DROP',
  '-A INPUT -i eth0 ! -s 10.240.0.0/16 -p tcp -m multiport --dports 22,443 -j ACCEPT',
];

/** iptables-save without its comment lines and counters: what the kernel holds. */
function rulesOnly(save: string): string {
  return save.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.replace(/ \[\d+:\d+\]$/, '')).join('\n');
}

void describe('kernel conformance: iptables parse → print → iptables-restore round trip', { skip }, () => {
  const lab = new Lab();
  let original = '';
  let natList = '';
  let filterList = '';
  const reloaded = new Map<string, string>();

  /** Loads printed text into a fresh namespace and returns what it then holds (or the restore error). */
  function reload(name: string, ruleset: Ruleset): string {
    lab.addNs(name);
    try {
      lab.iptablesRestore(name, printIptablesSave(ruleset));
    } catch (e) {
      return `iptables-restore refused the printed rules: ${String(e)}`;
    }
    return rulesOnly(lab.exec(name, ['iptables-save']));
  }

  before(() => {
    try {
      lab.addNs('src');
      lab.iptablesRestore('src', kubeProxyRules(SERVICES, '10.244.0.0/16', { egressMasquerade: true }));
      for (const rule of EXTRA_FILTER) lab.exec('src', ['iptables', ...rule.split(' ')]);
      original = rulesOnly(lab.exec('src', ['iptables-save']));
      natList = lab.exec('src', ['iptables', '-t', 'nat', '-L', '-n', '-v']);
      filterList = lab.exec('src', ['iptables', '-t', 'filter', '-L', '-n', '-v']);
      reloaded.set('save', reload('from-save', parseIptablesSave(lab.exec('src', ['iptables-save'])).value));
      const nat = parseIptablesList(natList, { table: 'nat' }).value;
      const filter = parseIptablesList(filterList, { table: 'filter' }).value;
      reloaded.set('list', reload('from-list', { ...nat, tables: new Map([...nat.tables, ...filter.tables]) }));
    } finally {
      lab.destroy();
    }
  });
  after(() => lab.destroy());

  void it('kernel: the source namespace holds the whole ruleset', () => {
    for (const want of ['--probability 0.20000000019', '-j REJECT --reject-with tcp-reset', '--ctstate INVALID -j DROP', '-m multiport --dports 22,443',
      '--dst-type LOCAL -j KUBE-NODEPORTS', '-j DNAT --to-destination 10.244.1.6:8080', 'has no endpoints']) {
      assert.ok(original.includes(want), want);
    }
  });

  void it('iptables-save → parse → print → iptables-restore gives the kernel the same rules', () => {
    assert.equal(reloaded.get('save'), original);
  });

  void it('iptables -L -n -v (nat, filter) → parse → print → iptables-restore gives the kernel the same rules', () => {
    assert.equal(reloaded.get('list'), original);
  });
});
