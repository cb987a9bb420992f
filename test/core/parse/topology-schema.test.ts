/**
 * The JSON schema the editor uses (schemas/topology.schema.json) and the reader
 * agree: every map the schema describes names exactly the fields the reader
 * knows, and the bundled example loads without a topology error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPOLOGY_FIELDS, type TopologyMapKind } from '../../../src/core/parse/topology/topology-fields';
import { parseTopology } from '../../../src/core/parse/topology/parse-topology';
import { IPTABLES_TABLES } from '../../../src/core/parse/topology/topology-iptables';

const root = join(import.meta.dirname, '..', '..', '..');
interface SchemaDef { properties?: Record<string, unknown>; additionalProperties?: unknown; description?: string }
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'topology.schema.json'), 'utf8')) as { $schema: string; $ref: string; definitions: Record<string, SchemaDef> };

void test('the schema is draft-07 and starts at the root definition', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.$ref, '#/definitions/root');
});

void test('every map in the schema lists exactly the fields the reader accepts', async (t) => {
  const withProps = Object.entries(schema.definitions).filter(([, d]) => d.properties).map(([k]) => k).sort();
  assert.deepEqual(withProps, Object.keys(TOPOLOGY_FIELDS).sort(), 'schema maps and reader field lists name the same kinds');
  for (const kind of Object.keys(TOPOLOGY_FIELDS) as TopologyMapKind[]) {
    await t.test(kind, () => {
      const def = schema.definitions[kind];
      assert.deepEqual(Object.keys(def.properties ?? {}).sort(), [...TOPOLOGY_FIELDS[kind]].sort());
      assert.equal(def.additionalProperties, false, 'unknown fields are flagged by the editor too');
    });
  }
});

void test('the schema\'s iptables table map names the tables the reader accepts', () => {
  const alts = (schema.definitions.iptablesSource as unknown as { oneOf: { properties?: Record<string, unknown> }[] }).oneOf;
  const map = alts.find((a) => a.properties);
  assert.deepEqual(Object.keys(map?.properties ?? {}).sort(), [...IPTABLES_TABLES].sort());
});

void test('every schema property has a description (hover text in the editor)', () => {
  const missing: string[] = [];
  for (const [kind, def] of Object.entries(schema.definitions)) {
    if (!def.description) missing.push(kind);
    for (const [name, p] of Object.entries(def.properties ?? {})) {
      const prop = p as { description?: string; $ref?: string };
      const refDesc = prop.$ref ? schema.definitions[prop.$ref.split('/').pop()!]?.description : undefined;
      if (!prop.description && !refDesc) missing.push(`${kind}.${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

void test('the bundled example reads without topology errors or unknown fields', () => {
  const dir = join(root, 'examples', 'azure-kubenet');
  const reader = { read: (p: string) => { try { return { text: readFileSync(join(dir, p), 'utf8') }; } catch (e) { return { error: String(e) }; } } };
  const r = parseTopology(readFileSync(join(dir, 'cluster.netsim.yaml'), 'utf8'), 'cluster.netsim.yaml', reader);
  assert.deepEqual(r.issues.filter((i) => i.code.startsWith('topology-')).map((i) => [i.code, i.span.line]), []);
  assert.deepEqual([r.value.routers.length, r.value.nodes.length, r.value.pods.length, r.value.services.length], [1, 3, 3, 2]);
  assert.deepEqual(r.value.referencedFiles.sort(), [
    'gateway-route-table.txt', 'k8s-agent-0/ifconfig.txt', 'k8s-agent-0/iptables-nat-L-n-v.txt', 'k8s-agent-0/route-n.txt',
    'k8s-agent-1/ifconfig.txt', 'k8s-agent-1/iptables-nat-L-n-v.txt', 'k8s-agent-1/route-n.txt', 'ubuntu/ifconfig.txt',
  ]);
});
