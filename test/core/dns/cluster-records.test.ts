import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { answerQuery, type RecordType } from '../../../src/core/dns/cluster-records';
import { serverConfigOf } from '../../../src/core/dns/server-config';
import { seedCluster } from './fixture';
import { CORPUS } from '../../fixtures/dirs';

type Row = [name: string, type: RecordType, rcode: string, records?: string[]];

void test('kubernetes plugin answers (kubeadm default Corefile, pods insecure)', () => {
  const c = seedCluster({ dns: { upstream: { 'db.example.com': ['192.0.2.10'], 'example.com.': ['93.184.216.34', '2606:2800:220:1::'] } } });
  const cfg = serverConfigOf(c.dns, c.dnsDomain);
  assert.equal(cfg.assumedDefault, true);
  const rows: Row[] = [
    ['kube-dns.kube-system.svc.cluster.local.', 'A', 'records', ['10.0.0.10']],
    ['KUBE-DNS.kube-system.svc.cluster.local', 'A', 'records', ['10.0.0.10']],
    ['kube-dns.kube-system.svc.cluster.local.', 'AAAA', 'NODATA'],
    ['kube-dns.kube-system.default.svc.cluster.local.', 'A', 'NXDOMAIN'],
    ['kube-dns.kube-system.svc.cluster.local.cluster.local.', 'A', 'NXDOMAIN'],
    ['nope.default.svc.cluster.local.', 'A', 'NXDOMAIN'],
    ['nginx.web.svc.cluster.local.', 'A', 'records', ['10.244.1.7', '10.244.0.8']],
    ['10-244-1-7.nginx.web.svc.cluster.local.', 'A', 'records', ['10.244.1.7']],
    ['10-244-9-9.nginx.web.svc.cluster.local.', 'A', 'NXDOMAIN'],
    ['frontend.web.svc.cluster.local.', 'A', 'records', ['10.0.88.8']],
    ['empty.web.svc.cluster.local.', 'A', 'records', ['10.0.77.7']],
    ['_dns._udp.kube-dns.kube-system.svc.cluster.local.', 'SRV', 'records', ['0 100 53 kube-dns.kube-system.svc.cluster.local.']],
    ['_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local.', 'SRV', 'records', ['0 100 53 kube-dns.kube-system.svc.cluster.local.']],
    ['_dns._tcp.kube-dns.kube-system.svc.cluster.local.', 'SRV', 'NXDOMAIN'],
    ['_http._tcp.nginx.web.svc.cluster.local.', 'SRV', 'records', ['0 50 80 10-244-1-7.nginx.web.svc.cluster.local.', '0 50 80 10-244-0-8.nginx.web.svc.cluster.local.']],
    ['db.web.svc.cluster.local.', 'A', 'records', ['db.example.com.', '192.0.2.10']],
    ['db.web.svc.cluster.local.', 'CNAME', 'records', ['db.example.com.']],
    ['10-244-0-6.default.pod.cluster.local.', 'A', 'records', ['10.244.0.6']],
    ['10-1-2-3.web.pod.cluster.local.', 'A', 'records', ['10.1.2.3']],
    ['10-1-2-3.nowhere.pod.cluster.local.', 'A', 'NXDOMAIN'],
    ['10-1-2.default.pod.cluster.local.', 'A', 'NXDOMAIN'],
    ['web.svc.cluster.local.', 'A', 'NODATA'],
    ['nowhere.svc.cluster.local.', 'A', 'NXDOMAIN'],
    ['svc.cluster.local.', 'A', 'NODATA'],
    ['cluster.local.', 'A', 'NODATA'],
    ['foo.cluster.local.', 'A', 'NXDOMAIN'],
    ['example.com.', 'A', 'records', ['93.184.216.34']],
    ['example.com.', 'AAAA', 'records', ['2606:2800:220:1::']],
    ['example.com.', 'SRV', 'NODATA'],
    ['google.com.', 'A', 'unknown'],
  ];
  for (const [name, type, rcode, records] of rows) {
    const a = answerQuery(c, cfg, name, type);
    assert.equal(a.rcode, rcode, `${name} ${type}: ${a.decidedBy}`);
    if (records) assert.deepEqual(a.records, records, `${name} ${type}`);
  }
});

void test('Corefile variants: pods verified/disabled, rewrite, stub domains, other zone', () => {
  const corefile = (body: string): string => `.:53 {\n${body}\n  forward . /etc/resolv.conf\n}\nconsul.local:53 {\n  forward . 10.150.0.1\n}\n`;
  const rows: { corefile: string; name: string; rcode: string; records?: string[]; originLine?: number }[] = [
    { corefile: corefile('  kubernetes cluster.local {\n    pods verified\n  }'), name: '10-244-0-6.default.pod.cluster.local.', rcode: 'records', records: ['10.244.0.6'], originLine: 2 },
    { corefile: corefile('  kubernetes cluster.local {\n    pods verified\n  }'), name: '10-244-0-6.web.pod.cluster.local.', rcode: 'NXDOMAIN' },
    { corefile: corefile('  kubernetes cluster.local {\n    pods disabled\n  }'), name: '10-244-0-6.default.pod.cluster.local.', rcode: 'NXDOMAIN' },
    { corefile: corefile('  kubernetes cluster.local'), name: '10-244-0-6.default.pod.cluster.local.', rcode: 'NXDOMAIN' },
    { corefile: corefile('  rewrite name dns.example.org kube-dns.kube-system.svc.cluster.local\n  kubernetes cluster.local'), name: 'dns.example.org.', rcode: 'records', records: ['10.0.0.10'] },
    { corefile: corefile('  rewrite name suffix .corp.internal .svc.cluster.local\n  kubernetes cluster.local'), name: 'frontend.web.corp.internal.', rcode: 'records', records: ['10.0.88.8'] },
    { corefile: corefile('  kubernetes cluster.local'), name: 'vault.service.consul.local.', rcode: 'records', records: ['10.150.3.3'], originLine: 6 },
    { corefile: corefile('  kubernetes cluster.local {\n    fallthrough\n  }'), name: 'legacy.cluster.local.', rcode: 'records', records: ['10.9.9.9'] },
    { corefile: corefile('  kubernetes cluster.local'), name: 'legacy.cluster.local.', rcode: 'NXDOMAIN' },
    { corefile: corefile('  kubernetes cluster.local {\n    namespaces kube-system\n  }'), name: 'kube-dns.kube-system.svc.cluster.local.', rcode: 'records', records: ['10.0.0.10'] },
    { corefile: corefile('  kubernetes cluster.local {\n    namespaces kube-system\n  }'), name: 'frontend.web.svc.cluster.local.', rcode: 'NXDOMAIN' },
    { corefile: corefile('  kubernetes k8s.example'), name: 'kube-dns.kube-system.svc.cluster.local.', rcode: 'unknown' },
    { corefile: 'example.org:53 {\n  whoami\n}\n', name: 'google.com.', rcode: 'unknown' },
  ];
  for (const r of rows) {
    const c = seedCluster({ dns: { corefile: { text: r.corefile, placement: { file: 'cluster.netsim.yaml', firstLine: 1, indent: 0, offset: 0 } }, upstream: { 'vault.service.consul.local': ['10.150.3.3'], 'legacy.cluster.local': ['10.9.9.9'] } } });
    const cfg = serverConfigOf(c.dns, c.dnsDomain);
    const a = answerQuery(c, cfg, r.name, 'A');
    assert.equal(a.rcode, r.rcode, `${r.name} with ${r.corefile}: ${a.decidedBy}`);
    if (r.records) assert.deepEqual(a.records, r.records, r.name);
    if (r.originLine) assert.equal(a.origin?.line, r.originLine, r.name);
  }
});

void test('stub domain of the corpus ConfigMap goes to its forward block', () => {
  const text = readFileSync(`${CORPUS}/dns/k8s-website-coredns-stubdomain-consul.configmap-Corefile.yaml`, 'utf8');
  const c = seedCluster({ dns: { corefile: { text, placement: { file: 'coredns.yaml', firstLine: 1, indent: 0, offset: 0 } } } });
  const cfg = serverConfigOf(c.dns, c.dnsDomain);
  const a = answerQuery(c, cfg, 'x.consul.local.', 'A');
  assert.equal(a.rcode, 'unknown');
  assert.match(a.decidedBy, /^forward \. 10\.150\.0\.1/);
  assert.equal(a.origin?.line, 25);
  const k = answerQuery(c, cfg, '10-244-0-6.default.pod.cluster.local.', 'A');
  assert.deepEqual(k.records, ['10.244.0.6']);
  assert.equal(k.origin?.line, 11);
});
