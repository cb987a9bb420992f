/**
 * Just enough of the DNS wire format (RFC 1035) for the conformance responder:
 * read a query's id and question, write a response with A, AAAA, CNAME and SRV
 * records, or NXDOMAIN / NODATA.
 */

/** A question as the client sent it. */
export interface Question {
  id: number;
  name: string;
  type: number;
  /** The question section's raw bytes, echoed back in the response. */
  raw: Buffer;
  flags: number;
}

/** Record type numbers the responder speaks. */
export const TYPE: Record<string, number> = { A: 1, CNAME: 5, PTR: 12, AAAA: 28, SRV: 33 };
/** Record type names by number. */
export const TYPE_NAME: Record<number, string> = Object.fromEntries(Object.entries(TYPE).map(([k, v]) => [v, k]));

/** Reads the first question of a query; undefined when the message is malformed. */
export function readQuestion(msg: Buffer): Question | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) < 1) return undefined;
  const labels: string[] = [];
  let k = 12;
  while (k < msg.length) {
    const len = msg[k];
    if (len === 0) { k++; break; }
    if (len > 63 || k + 1 + len > msg.length) return undefined;
    labels.push(msg.subarray(k + 1, k + 1 + len).toString('latin1'));
    k += 1 + len;
  }
  if (k + 4 > msg.length) return undefined;
  return { id: msg.readUInt16BE(0), name: `${labels.join('.')}.`, type: msg.readUInt16BE(k), raw: msg.subarray(12, k + 4), flags: msg.readUInt16BE(2) };
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter((p) => p !== '');
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0])]);
}

function rr(owner: string, type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(5, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(owner), head, rdata]);
}

function ipv6Bytes(text: string): Buffer {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

/** One record of an answer, as the simulator writes it (`10.0.0.10`, `db.example.com.`, `0 100 53 target.`). */
function recordOf(owner: string, qtype: number, text: string): { rr: Buffer; owner: string } {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) return { rr: rr(owner, TYPE.A, Buffer.from(text.split('.').map(Number))), owner };
  if (text.includes(':')) return { rr: rr(owner, TYPE.AAAA, ipv6Bytes(text)), owner };
  const srv = /^(\d+) (\d+) (\d+) (\S+)$/.exec(text);
  if (srv && qtype === TYPE.SRV) {
    const fixed = Buffer.alloc(6);
    fixed.writeUInt16BE(Number(srv[1]), 0);
    fixed.writeUInt16BE(Number(srv[2]), 2);
    fixed.writeUInt16BE(Number(srv[3]), 4);
    return { rr: rr(owner, TYPE.SRV, Buffer.concat([fixed, encodeName(srv[4])])), owner };
  }
  return { rr: rr(owner, TYPE.CNAME, encodeName(text)), owner: text };
}

/** A response to `q`: rcode 0 with `records` (a CNAME moves the owner of the records after it), or rcode 3. */
export function response(q: Question, rcode: 0 | 3, records: string[]): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(q.id, 0);
  // QR, opcode copied, AA, RD copied, RA; rcode.
  head.writeUInt16BE(0x8000 | (q.flags & 0x7900) | 0x0400 | 0x0080 | rcode, 2);
  head.writeUInt16BE(1, 4);
  const answers: Buffer[] = [];
  let owner = q.name;
  for (const r of records) {
    const rec = recordOf(owner, q.type, r);
    answers.push(rec.rr);
    owner = rec.owner;
  }
  head.writeUInt16BE(answers.length, 6);
  return Buffer.concat([head, q.raw, ...answers]);
}
