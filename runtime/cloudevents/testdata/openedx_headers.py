"""The header conversions of the Open edX event bus, for evc's tests.

A copy of what edx-event-bus-kafka (edx_event_bus_kafka/internal/utils.py,
Apache License 2.0) and openedx-events (openedx_events/data.py,
EventsMetadata's validators) do with record headers, without Django:

  read:  reads a JSON list of header lists ([[key, value], ...]) from stdin
         and converts each as _get_metadata_from_headers does; prints one
         line per header list, "ok" or the error.
  write: prints a JSON list of header lists as _get_headers_from_metadata
         writes them: one with the current time, one with a time whose
         microseconds are zero (isoformat then leaves them out).

Runs on Python 3.7 and later (the bus supports 3.8 and later).
"""
import json
import sys
import uuid
from collections import defaultdict
from datetime import datetime, timezone

CONVERT = {
    "ce_type": ("event_type", str),
    "ce_id": ("id", uuid.UUID),
    "ce_source": ("source", str),
    "ce_time": ("time", datetime.fromisoformat),
    "ce_minorversion": ("minorversion", int),
    "sourcehost": ("sourcehost", str),
    "sourcelib": ("sourcelib", lambda s: tuple(map(int, s.split(".")))),
}


def metadata(headers):
    by_key = defaultdict(list)
    for key, value in headers:
        by_key[key].append(value.encode("utf-8"))
    out = {}
    for key, (field, convert) in CONVERT.items():
        values = by_key[key]
        if not values:
            if key == "ce_id":
                raise Exception('Missing "ce_id" header on message, cannot continue')
            raise Exception("missing %s (Open edX would log a warning and use a default)" % key)
        if len(values) > 1:
            raise Exception('Multiple "%s" headers on message' % key)
        out[field] = convert(values[0].decode("utf-8"))
    # EventsMetadata's validator: the time must be in timezone.utc.
    t = out["time"]
    if not (t.tzinfo and t.tzinfo == timezone.utc):
        raise ValueError("'time' must have timezone.utc")
    return out


def write(t):
    return [
        ["ce_specversion", "1.0"],
        ["content-type", "application/avro"],
        ["ce_datacontenttype", "application/avro"],
        ["ce_type", "org.openedx.learning.auth.session.login.completed.v1"],
        ["ce_id", str(uuid.uuid1())],
        ["ce_source", "openedx/test/web"],
        ["ce_time", t.isoformat()],
        ["ce_minorversion", str(0)],
        ["sourcehost", "edx.devstack.lms"],
        ["sourcelib", ".".join(map(str, (9, 15, 0)))],
    ]


if sys.argv[1] == "read":
    for hs in json.load(sys.stdin):
        try:
            metadata(hs)
            print("ok")
        except Exception as e:  # noqa: BLE001
            print("error: %s: %s" % (type(e).__name__, e))
else:
    now = datetime.now(timezone.utc)
    print(json.dumps([write(now), write(now.replace(microsecond=0))]))
