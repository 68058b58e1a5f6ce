"""The Python side of evc's interop tests (go test ./interop).

confluent-kafka-python (librdkafka) with its AvroProducer and AvroConsumer,
which encode with Apache Avro's python3-avro, all from Debian. It reads a job
that the Go test wrote (README.md), consumes what Go produced and reports it
in canonical form, then produces the job's records.

    /usr/bin/python3 client.py JOB.json OUT.json
"""

import datetime
import decimal
import json
import sys
import time
import warnings

from confluent_kafka import avro as ckavro
from confluent_kafka.avro import AvroConsumer, AvroProducer

PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
EPOCH_DAY = datetime.date(1970, 1, 1)


def parse_schema(text):
    """Walks a schema into dicts, as the canonical form needs it."""
    named = {}

    def full(name, ns):
        return name if "." in name or not ns else ns + "." + name

    def parse(s, ns):
        if isinstance(s, str):
            if s in PRIMITIVES:
                return {"kind": s}
            n = named.get(full(s, ns)) or named.get(s)
            if n is None:
                raise ValueError("unknown type " + s)
            return n
        if isinstance(s, list):
            return {"kind": "union", "branches": [parse(b, ns) for b in s]}
        t = s["type"]
        n = {"kind": t, "logical": s.get("logicalType"), "scale": s.get("scale", 0)}
        if t in ("record", "error", "enum", "fixed"):
            n["kind"] = "record" if t == "error" else t
            name = s["name"]
            if s.get("namespace") and "." not in name:
                ns = s["namespace"]
            n["name"] = full(name, ns)
            ns = n["name"].rsplit(".", 1)[0] if "." in n["name"] else ""
            named[n["name"]] = n
            if t == "enum":
                n["symbols"] = s["symbols"]
            elif t == "fixed":
                n["size"] = s["size"]
            else:
                n["fields"] = [(f["name"], parse(f["type"], ns)) for f in s["fields"]]
            return n
        if t == "array":
            n["items"] = parse(s["items"], ns)
            return n
        if t == "map":
            n["values"] = parse(s["values"], ns)
            return n
        p = parse(t, ns)
        if "name" in p:
            return p
        n["kind"] = p["kind"]
        return n

    return parse(json.loads(text), "")


def branch_name(n):
    return n.get("name") or n["kind"]


def matches(n, v):
    """Whether python3-avro's value v is one of schema n's."""
    k, logical = n["kind"], n.get("logical")
    if k == "null":
        return v is None
    if k == "boolean":
        return isinstance(v, bool)
    if k in ("int", "long"):
        if logical == "date":
            return isinstance(v, datetime.date) and not isinstance(v, datetime.datetime)
        if logical in ("time-millis", "time-micros"):
            return isinstance(v, datetime.time)
        if logical in ("timestamp-millis", "timestamp-micros"):
            return isinstance(v, datetime.datetime)
        return isinstance(v, int) and not isinstance(v, bool)
    if k in ("float", "double"):
        return isinstance(v, float)
    if k == "string":
        return isinstance(v, str)
    if k == "enum":
        return isinstance(v, str) and v in n["symbols"]
    if k in ("bytes", "fixed"):
        if logical == "decimal":
            return isinstance(v, decimal.Decimal)
        return isinstance(v, bytes) and (k == "bytes" or len(v) == n["size"])
    if k == "array":
        return isinstance(v, list)
    if k == "map":
        return isinstance(v, dict)
    if k == "record":
        return isinstance(v, dict) and set(v) == {f for f, _ in n["fields"]}
    return False


def micros(td):
    return (td.days * 86400 + td.seconds) * 1000000 + td.microseconds


def canon(n, v):
    """Turns a value python3-avro decoded into the canonical form."""
    k, logical = n["kind"], n.get("logical")
    if k == "union":
        if v is None:
            return None
        for b in n["branches"]:
            if b["kind"] != "null" and matches(b, v):
                return {branch_name(b): canon(b, v)}
        raise ValueError("no union branch takes %r" % (v,))
    if k == "record":
        return {f: canon(t, v[f]) for f, t in n["fields"]}
    if k == "array":
        return [canon(n["items"], x) for x in v]
    if k == "map":
        return {key: canon(n["values"], x) for key, x in v.items()}
    if k in ("bytes", "fixed"):
        if logical == "decimal":
            q = v.quantize(decimal.Decimal(1).scaleb(-n["scale"]), context=decimal.Context(prec=100))
            return "{:f}".format(q)
        return v.hex()
    if logical == "date" and isinstance(v, datetime.date):
        return (v - EPOCH_DAY).days
    if logical in ("time-millis", "time-micros") and isinstance(v, datetime.time):
        us = ((v.hour * 60 + v.minute) * 60 + v.second) * 1000000 + v.microsecond
        return us // 1000 if logical == "time-millis" else us
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:  # a local timestamp, if this python3-avro reads them
            v = v.replace(tzinfo=datetime.timezone.utc)
        us = micros(v - EPOCH)
        return us // 1000 if logical.endswith("millis") else us
    return v


def native(n, v):
    """Turns a canonical value into what python3-avro writes."""
    k, logical = n["kind"], n.get("logical")
    if k == "union":
        if v is None:
            return None
        (name, x), = v.items()
        for b in n["branches"]:
            if branch_name(b) == name:
                return native(b, x)
        raise ValueError("no union branch " + name)
    if k == "record":
        return {f: native(t, v[f]) for f, t in n["fields"]}
    if k == "array":
        return [native(n["items"], x) for x in v]
    if k == "map":
        return {key: native(n["values"], x) for key, x in v.items()}
    if k in ("bytes", "fixed"):
        if logical == "decimal":
            return decimal.Decimal(v)
        return bytes.fromhex(v)
    if logical == "date":
        return EPOCH_DAY + datetime.timedelta(days=v)
    if logical in ("time-millis", "time-micros"):
        us = v * 1000 if logical == "time-millis" else v
        s, us = divmod(us, 1000000)
        m, s = divmod(s, 60)
        h, m = divmod(m, 60)
        return datetime.time(h, m, s, us)
    if logical in ("timestamp-millis", "timestamp-micros"):
        us = v * 1000 if logical == "timestamp-millis" else v
        return EPOCH + datetime.timedelta(microseconds=us)
    return v


def consume(job, spec):
    value_schema, key_schema = parse_schema(spec["value_schema"]), parse_schema(spec["key_schema"])
    kwargs = {}
    if spec.get("reader_schema"):
        kwargs["reader_value_schema"] = ckavro.loads(spec["reader_schema"])
    c = AvroConsumer({
        "bootstrap.servers": job["brokers"],
        "schema.registry.url": job["registry"],
        "group.id": "interop-" + spec["name"],
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    }, **kwargs)
    c.subscribe([spec["topic"]])
    got = []
    deadline = time.monotonic() + 300
    while len(got) < spec["count"]:
        if time.monotonic() > deadline:
            raise TimeoutError("%s: %d of %d records read" % (spec["topic"], len(got), spec["count"]))
        msg = c.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            raise RuntimeError("%s: %s" % (spec["topic"], msg.error()))
        headers = [[k, v.decode("utf-8")] for k, v in (msg.headers() or [])]
        got.append({"key": canon(key_schema, msg.key()), "value": canon(value_schema, msg.value()), "headers": headers})
    c.close()
    return got


def produce(job, spec):
    value_schema, key_schema = parse_schema(spec["value_schema"]), parse_schema(spec["key_schema"])
    p = AvroProducer({
        "bootstrap.servers": job["brokers"],
        "schema.registry.url": job["registry"],
        "compression.type": "gzip",
    }, default_key_schema=ckavro.loads(spec["key_schema"]), default_value_schema=ckavro.loads(spec["value_schema"]))
    for r in spec["records"]:
        headers = [(k, v.encode("utf-8")) for k, v in r["headers"]]
        p.produce(topic=spec["topic"], key=native(key_schema, r["key"]), value=native(value_schema, r["value"]), headers=headers)
        p.poll(0)
    left = p.flush(60)
    if left:
        raise RuntimeError("%s: %d records not delivered" % (spec["topic"], left))


def main():
    # python3-avro warns on every local-timestamp value, a logical type it
    # does not know and writes as the long it is.
    warnings.simplefilter("ignore")
    job_file, out_file = sys.argv[1:3]
    with open(job_file, encoding="utf-8") as f:
        job = json.load(f)
    consumed = {spec["name"]: consume(job, spec) for spec in job["consume"]}
    for spec in job["produce"]:
        produce(job, spec)
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump({"consumed": consumed}, f)


if __name__ == "__main__":
    main()
