"""Reads Avro data with python3-avro's resolving DatumReader, for the
differential tests of runtime/resolve (python_test.go).

Input (argv[1]): JSON lines {"writer": schema, "reader": schema, "data":
[hex, ...]}. Output (argv[2]): one line per input line, {"values": [...]}
with {"v": value} or {"error": "..."} per datum, or {"error": "..."} when
the schemas do not parse.

Values are written in a form that keeps what Avro says and drops what
Python's types blur: null and booleans as JSON, integers {"i": "decimal"},
floats {"f": "hex of the IEEE double"} (a float is exactly a double),
strings and bytes {"b": "hex"} (strings as UTF-8), arrays as lists, records
and maps {"o": {...}}. Union values are the branch's value, untagged.

Debian's python3-avro 1.11.1 lacks some of the resolution rules of the
Avro specification that Avro Java (which evc follows, docs/evolution.md)
applies; they are added here, each as Java does it, and nothing else is
changed:

- string <-> bytes promotion (spec 1.7.7; Python's match rejects it);
- arrays and maps match by kind, their items resolved recursively as for
  any other value (Python's match compares the items' type names, so that
  array<int> does not read as array<long>);
- named types match by full name, by unqualified name, or by the reader's
  aliases qualified with its namespace (Python: the full name only);
- a reader's union reads a writer's non-union value with its first branch
  of the same type and full name (or alias), else of the same unqualified
  name, else the first the value promotes to (Python: the first that
  matches);
- record fields match by name, then by the reader field's aliases (Python
  ignores field aliases);
- an unknown enum symbol reads as the reader's enum default (spec 1.9);
- a writer's union reads as a reader's non-union type, its branch resolved
  against it (Python's match rejects any writer union there).
"""

import io
import json
import struct
import sys

import avro.errors
import avro.io
import avro.schema


def _qualified_aliases(s):
    ns = s.namespace
    out = set()
    for a in s.get_prop("aliases") or []:
        out.add(a if "." in a or not ns else ns + "." + a)
    return out


def _short(name):
    return name.rsplit(".", 1)[-1]


def _named_match(self, writer, tier=None):
    if self.type != writer.type:
        return False
    if self.type == "fixed" and self.size != writer.size:
        return False
    full = self.fullname == writer.fullname or writer.fullname in _qualified_aliases(self)
    short = _short(self.fullname) == _short(writer.fullname)
    if tier == 0:
        return full
    if tier == 1:
        return short
    return full or short


_primitive_match = avro.schema.PrimitiveSchema.match


def _primitive_match_java(self, writer):
    if {self.type, writer.type} == {"string", "bytes"}:
        return True
    return _primitive_match(self, writer)


avro.schema.PrimitiveSchema.match = _primitive_match_java
avro.schema.ArraySchema.match = lambda self, writer: self.type == writer.type
avro.schema.MapSchema.match = lambda self, writer: self.type == writer.type
for cls in (avro.schema.RecordSchema, avro.schema.EnumSchema, avro.schema.FixedSchema):
    cls.match = _named_match


class JavaRulesReader(avro.io.DatumReader):
    def read_data(self, writers_schema, readers_schema, decoder):
        if isinstance(writers_schema, avro.schema.UnionSchema) and not isinstance(readers_schema, avro.schema.UnionSchema):
            i = int(decoder.read_long())
            if i < 0 or i >= len(writers_schema.schemas):
                raise avro.errors.SchemaResolutionException(f"union index {i}", writers_schema, readers_schema)
            return self.read_data(writers_schema.schemas[i], readers_schema, decoder)
        if isinstance(readers_schema, avro.schema.UnionSchema) and not isinstance(writers_schema, avro.schema.UnionSchema):
            named = isinstance(writers_schema, avro.schema.NamedSchema)
            for tier in (0, 1, 2):
                for b in readers_schema.schemas:
                    if tier < 2 and b.type != writers_schema.type:
                        continue
                    if tier == 2 and b.match(writers_schema) or tier < 2 and (_named_match(b, writers_schema, tier) if named else tier == 0):
                        return self.read_data(writers_schema, b, decoder)
        return super().read_data(writers_schema, readers_schema, decoder)

    def read_enum(self, writers_schema, readers_schema, decoder):
        i = decoder.read_int()
        if i < 0 or i >= len(writers_schema.symbols):
            raise avro.errors.SchemaResolutionException(f"enum index {i}", writers_schema, readers_schema)
        symbol = writers_schema.symbols[i]
        if symbol in readers_schema.symbols:
            return symbol
        default = readers_schema.get_prop("default")
        if default is None:
            raise avro.errors.SchemaResolutionException(f"Symbol {symbol} not present in Reader's Schema", writers_schema, readers_schema)
        return default

    def read_record(self, writers_schema, readers_schema, decoder):
        by_name = {}
        for rf in readers_schema.fields:
            by_name.setdefault(rf.name, rf)
        for rf in readers_schema.fields:
            for a in rf.get_prop("aliases") or []:
                by_name.setdefault(a, rf)
        out = {}
        taken = set()
        for wf in writers_schema.fields:
            rf = by_name.get(wf.name)
            if rf is not None and rf.name not in taken:
                taken.add(rf.name)
                out[rf.name] = self.read_data(wf.type, rf.type, decoder)
            else:
                self.skip_data(wf.type, decoder)
        for rf in readers_schema.fields:
            if rf.name in taken:
                continue
            if not rf.has_default:
                raise avro.errors.SchemaResolutionException(f"No default value for field {rf.name}", writers_schema, readers_schema)
            out[rf.name] = self._read_default_value(rf.type, rf.default)
        return out


def norm(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return {"i": str(v)}
    if isinstance(v, float):
        return {"f": struct.pack(">d", v).hex()}
    if isinstance(v, str):
        return {"b": v.encode("utf-8").hex()}
    if isinstance(v, (bytes, bytearray)):
        return {"b": bytes(v).hex()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {"o": {k: norm(x) for k, x in v.items()}}
    raise TypeError(f"unexpected value {v!r}")


def main():
    with open(sys.argv[1]) as src, open(sys.argv[2], "w") as dst:
        for line in src:
            case = json.loads(line)
            try:
                w = avro.schema.parse(json.dumps(case["writer"]))
                r = avro.schema.parse(json.dumps(case["reader"]))
            except Exception as e:
                dst.write(json.dumps({"error": f"{type(e).__name__}: {e}"}) + "\n")
                continue
            reader = JavaRulesReader(w, r)
            values = []
            for h in case["data"]:
                data = bytes.fromhex(h)
                buf = io.BytesIO(data)
                try:
                    v = reader.read(avro.io.BinaryDecoder(buf))
                    if buf.tell() != len(data):
                        values.append({"error": f"{len(data) - buf.tell()} bytes left over"})
                    else:
                        values.append({"v": norm(v)})
                except Exception as e:
                    values.append({"error": f"{type(e).__name__}: {e}"})
            dst.write(json.dumps({"values": values}) + "\n")


main()
