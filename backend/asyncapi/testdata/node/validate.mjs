// Parses AsyncAPI documents with @asyncapi/parser (and its Avro schema
// parser, so the Avro payloads are checked too) and prints one JSON line per
// document: its diagnostics and what it holds. evc's tests read the lines.
import { Parser, fromFile } from '@asyncapi/parser';
import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';

const parser = new Parser();
parser.registerSchemaParser(AvroSchemaParser());
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await fromFile(parser, file).parse();
  const out = {
    file,
    parsed: Boolean(document),
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, code: String(d.code), path: d.path.join('.'), message: d.message })),
  };
  if (document) {
    out.channels = document.channels().all().map((c) => c.address()).sort();
    out.messages = document.messages().all().map((m) => m.id()).sort();
    out.operations = document.operations().length;
  }
  console.log(JSON.stringify(out));
}
