// The Node side of evc's interop tests (go test ./interop): kafkajs with
// @kafkajs/confluent-schema-registry, which encodes with avsc. It reads a job
// that the Go test wrote (README.md), consumes what Go produced and reports
// it in canonical form, then produces the job's records.
//
//   node client.js JOB.json OUT.json
'use strict';

const fs = require('fs');
const { Kafka, logLevel, CompressionTypes, Partitioners } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

// Schemas, walked as the canonical form needs them.
function parseSchema(text) {
  const named = new Map();
  const full = (name, ns) => (name.includes('.') || !ns ? name : ns + '.' + name);
  const parse = (s, ns) => {
    if (typeof s === 'string') {
      if (['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'].includes(s)) return { kind: s };
      const n = named.get(full(s, ns)) || named.get(s);
      if (!n) throw new Error('unknown type ' + s);
      return n;
    }
    if (Array.isArray(s)) return { kind: 'union', branches: s.map((b) => parse(b, ns)) };
    const n = { kind: s.type, logical: s.logicalType, scale: s.scale || 0 };
    switch (s.type) {
      case 'record': case 'error': case 'enum': case 'fixed': {
        n.kind = s.type === 'error' ? 'record' : s.type;
        let name = s.name;
        if (s.namespace && !name.includes('.')) ns = s.namespace;
        n.name = full(name, ns);
        ns = n.name.includes('.') ? n.name.slice(0, n.name.lastIndexOf('.')) : '';
        named.set(n.name, n);
        if (s.type === 'enum') n.symbols = s.symbols;
        else if (s.type === 'fixed') n.size = s.size;
        else n.fields = s.fields.map((f) => ({ name: f.name, type: parse(f.type, ns) }));
        return n;
      }
      case 'array': n.items = parse(s.items, ns); return n;
      case 'map': n.values = parse(s.values, ns); return n;
      default: {
        const p = parse(s.type, ns);
        if (p.name) return p;
        n.kind = p.kind;
        return n;
      }
    }
  };
  return parse(JSON.parse(text), '');
}

const branchName = (n) => n.name || n.kind;

// A decimal's unscaled value is a big-endian two's-complement integer.
function decimalToString(buf, scale) {
  let u = 0n;
  for (const b of buf) u = (u << 8n) | BigInt(b);
  if (buf.length > 0 && buf[0] & 0x80) u -= 1n << BigInt(8 * buf.length);
  const neg = u < 0n;
  let s = (neg ? -u : u).toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    s = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  }
  return (neg ? '-' : '') + s;
}

function decimalToBuffer(str, scale, size) {
  const neg = str.startsWith('-');
  const [whole, frac = ''] = (neg ? str.slice(1) : str).split('.');
  if (frac.length !== scale) throw new Error(`decimal ${str} does not have scale ${scale}`);
  let u = BigInt(whole + frac);
  if (neg) u = -u;
  let len = size;
  if (len === undefined) {
    len = 1;
    while (u >= 1n << BigInt(8 * len - 1) || u < -(1n << BigInt(8 * len - 1))) len++;
  }
  if (u < 0n) u += 1n << BigInt(8 * len);
  const out = Buffer.alloc(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

// canon turns an avsc value (unions wrapped) into the canonical form.
function canon(n, v) {
  switch (n.kind) {
    case 'union': {
      if (v === null) return null;
      const k = Object.keys(v)[0];
      const b = n.branches.find((x) => branchName(x) === k);
      if (!b) throw new Error('no union branch ' + k);
      return { [k]: canon(b, v[k]) };
    }
    case 'record': {
      const out = {};
      for (const f of n.fields) out[f.name] = canon(f.type, v[f.name]);
      return out;
    }
    case 'array': return v.map((x) => canon(n.items, x));
    case 'map': {
      const out = {};
      for (const [k, x] of Object.entries(v)) out[k] = canon(n.values, x);
      return out;
    }
    case 'bytes': case 'fixed':
      return n.logical === 'decimal' ? decimalToString(v, n.scale) : Buffer.from(v).toString('hex');
    default: return v;
  }
}

// native turns a canonical value into what avsc writes.
function native(n, v) {
  switch (n.kind) {
    case 'union': {
      if (v === null) return null;
      const k = Object.keys(v)[0];
      const b = n.branches.find((x) => branchName(x) === k);
      if (!b) throw new Error('no union branch ' + k);
      return { [k]: native(b, v[k]) };
    }
    case 'record': {
      const out = {};
      for (const f of n.fields) out[f.name] = native(f.type, v[f.name]);
      return out;
    }
    case 'array': return v.map((x) => native(n.items, x));
    case 'map': {
      const out = {};
      for (const [k, x] of Object.entries(v)) out[k] = native(n.values, x);
      return out;
    }
    case 'bytes': case 'fixed':
      return n.logical === 'decimal' ? decimalToBuffer(v, n.scale, n.size) : Buffer.from(v, 'hex');
    default: return v;
  }
}

async function consume(kafka, registry, spec) {
  const valueSchema = parseSchema(spec.value_schema);
  const keySchema = parseSchema(spec.key_schema);
  const opts = spec.reader_schema ? { [SchemaType.AVRO]: { readerSchema: JSON.parse(spec.reader_schema) } } : undefined;
  const consumer = kafka.consumer({ groupId: 'interop-' + spec.name, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: spec.topic, fromBeginning: true });
  const got = [];
  await new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        if (got.length >= spec.count) return;
        try {
          const key = await registry.decode(message.key);
          const value = await registry.decode(message.value, opts);
          const headers = Object.entries(message.headers || {}).map(([k, v]) => [k, Buffer.from(v).toString('utf8')]);
          got.push({ key: canon(keySchema, key), value: canon(valueSchema, value), headers });
        } catch (err) {
          reject(err);
          return;
        }
        if (got.length === spec.count) resolve();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return got;
}

async function produce(kafka, registry, spec) {
  const valueSchema = parseSchema(spec.value_schema);
  const keySchema = parseSchema(spec.key_schema);
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: spec.value_schema },
    { subject: spec.subject, compatibility: spec.compatibility });
  const { id: keyId } = await registry.register({ type: SchemaType.AVRO, schema: spec.key_schema },
    { subject: spec.key_subject, compatibility: spec.compatibility });
  const messages = [];
  for (const r of spec.records) {
    const headers = {};
    for (const [k, v] of r.headers) headers[k] = v;
    messages.push({
      key: await registry.encode(keyId, native(keySchema, r.key)),
      value: await registry.encode(id, native(valueSchema, r.value)),
      headers,
    });
  }
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: spec.topic, messages, compression: CompressionTypes.None });
  await producer.disconnect();
}

async function main() {
  const [jobFile, outFile] = process.argv.slice(2);
  const job = JSON.parse(fs.readFileSync(jobFile, 'utf8'));
  const kafka = new Kafka({ clientId: 'evc-interop-node', brokers: job.brokers.split(','), logLevel: logLevel.ERROR });
  const registry = new SchemaRegistry({ host: job.registry }, { [SchemaType.AVRO]: { wrapUnions: true } });
  const consumed = {};
  for (const spec of job.consume) consumed[spec.name] = await consume(kafka, registry, spec);
  for (const spec of job.produce) await produce(kafka, registry, spec);
  fs.writeFileSync(outFile, JSON.stringify({ consumed }));
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
