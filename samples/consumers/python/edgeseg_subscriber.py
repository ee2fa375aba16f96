#!/usr/bin/python3
"""Follow an EdgeSeg device's MQTT streams: status, classes, mask, metrics, events.

One line per message on stdout, starting with its stream's name; connection news on stderr. The session is
persistent (clean start off, a session expiry, a fixed client id, QoS 1), so a second run with the same client id
receives the metrics and events published while the first was away. Ctrl-C (or SIGTERM) disconnects cleanly.

Needs Debian's python3-paho-mqtt, python3-numpy and python3-pil (tested with paho-mqtt 1.6; on 2.x it asks for the
version 1 callbacks).
"""

import argparse
import hashlib
import io
import json
import signal
import socket
import sys

import numpy as np
import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from PIL import Image

CLASSES = 5  # class indices 0..4
DEFAULT_CLASS_NAMES = ["background", "road", "vehicle", "pedestrian", "lane_marking"]


def topic_level(value):
    if not value or any(c in value for c in "/+#"):
        raise argparse.ArgumentTypeError(f"'{value}' must be one topic level: not empty, no '/', '+' or '#'")
    return value


def port_number(value):
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is not a TCP port (1-65535)")
    return int(value)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="edgeseg_subscriber.py",
        description="Follow an EdgeSeg device's MQTT streams (status, classes, mask, metrics, events): one line per "
                    "message on stdout, starting with its stream's name. Ctrl-C disconnects and keeps the session.")
    parser.add_argument("--host", default="localhost", help="broker host (default localhost)")
    parser.add_argument("--port", type=port_number, default=1883, help="broker port (default 1883)")
    parser.add_argument("--device", type=topic_level, help="follow one device (default: every device)")
    parser.add_argument("--prefix", default="edgeseg/v1", help="topic prefix, the service's Mqtt:TopicPrefix (default edgeseg/v1)")
    parser.add_argument("--client-id", help="the session's client id (default edgeseg-subscriber-python-HOSTNAME-DEVICE|all)")
    parser.add_argument("--session-expiry", type=int, default=3600, metavar="SEC",
                        help="how long the broker keeps the session while this program is away (default 3600)")
    parser.add_argument("--json", action="store_true", help='print each message as "<stream> {json}" for scripts, payloads in full')
    args = parser.parse_args(argv)
    args.prefix = args.prefix.rstrip("/")
    if not args.prefix or any(c in args.prefix for c in "+#"):
        parser.error(f"--prefix '{args.prefix}' must be a non-empty topic without wildcards")
    if not 0 <= args.session_expiry <= 0xFFFFFFFF:
        parser.error("--session-expiry must be 0-4294967295 seconds")
    if args.client_id is None:
        args.client_id = f"edgeseg-subscriber-python-{socket.gethostname()}-{args.device or 'all'}"
    return args


def filters(prefix, device):
    d = device or "+"
    return [f"{prefix}/{d}/status", f"{prefix}/{d}/classes",
            f"{prefix}/{d}/+/mask", f"{prefix}/{d}/+/metrics", f"{prefix}/{d}/+/events"]


def parse_topic(prefix, topic):
    """(stream, device, source or None) for a followed topic, else None."""
    if not topic.startswith(prefix + "/"):
        return None
    levels = topic[len(prefix) + 1:].split("/")
    if len(levels) == 2 and levels[1] in ("status", "classes"):
        return levels[1], levels[0], None
    if len(levels) == 3 and levels[2] in ("mask", "metrics", "events"):
        return levels[2], levels[0], levels[1]
    return None


def decode_mask(payload):
    """Size, per-class pixel counts, other values and the SHA-256 of the decoded pixels of an 8-bit gray PNG."""
    try:
        image = Image.open(io.BytesIO(payload))
        image.load()
    except Exception as error:  # PIL raises several types for a bad image
        raise ValueError(f"not an image ({len(payload)} bytes): {error}") from error
    if image.format != "PNG" or image.mode != "L":
        raise ValueError(f"expected an 8-bit single-channel PNG, got {image.format} {image.mode}")
    pixels = np.asarray(image, dtype=np.uint8)
    counts = np.bincount(pixels.ravel(), minlength=256)
    return {
        "width": image.width,
        "height": image.height,
        "counts": [int(c) for c in counts[:CLASSES]],
        "otherValues": int(counts[CLASSES:].sum()),
        "sha256": hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest(),
    }


def quote(value):
    text = str(value)
    if text and not any(c.isspace() or c in '"=' for c in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def scalar(value):
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list):
        return quote(",".join(v if isinstance(v, str) else json.dumps(v) for v in value))
    return json.dumps(value)


class Printer:
    """Turns each message into one line: readable key=value pairs, or with --json one JSON object."""

    def __init__(self, prefix, as_json, out=sys.stdout):
        self.prefix = prefix
        self.as_json = as_json
        self.out = out
        self.class_names = {}  # per device, from its retained class list

    def print(self, message):
        parsed = parse_topic(self.prefix, message.topic)
        if parsed is None:
            return
        stream, device, source = parsed
        origin = device if source is None else f"{device}/{source}"
        try:
            line = self.json_line(stream, device, source, message) if self.as_json \
                else self.text_line(stream, device, origin, message)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            # A bad payload is reported on its line and the subscriber goes on.
            line = f"{stream} " + json.dumps({"topic": message.topic, "error": str(error)}) if self.as_json \
                else f"{stream} {origin} error={quote(f'{message.topic}: {error}')}"
        print(line, file=self.out, flush=True)

    def remember_classes(self, device, doc):
        names = {}
        for c in doc["classes"]:
            index = c["index"]
            if not isinstance(index, int) or not 0 <= index <= 255:
                raise ValueError("a class index is outside 0-255")
            names[index] = c["name"]
        self.class_names[device] = [names.get(i, "") for i in range(max(names) + 1)] if names else []
        return self.class_names[device]

    def text_line(self, stream, device, origin, message):
        parts = [stream, origin]

        def add(key, value):
            if value is not None:
                parts.append(f"{key}={value}")

        if stream == "mask":
            mask = decode_mask(message.payload)
            names = self.class_names.get(device, DEFAULT_CLASS_NAMES)
            props = user_properties(message)
            add("frame", props.get("frame-index", "?"))
            add("size", f"{mask['width']}x{mask['height']}")
            for i, count in enumerate(mask["counts"]):
                add(names[i] if i < len(names) else f"class{i}", count)
            if mask["otherValues"]:
                add("other", mask["otherValues"])
            add("capture-time", props.get("capture-time"))
            add("model", quote(props["model"]) if "model" in props else None)
            return " ".join(parts)
        doc = json.loads(message.payload.decode("utf-8"))
        if stream == "status":
            add("state", scalar(doc["state"]))
            add("retained", "true" if message.retain else "false")
            for key, value in doc.items():
                if key not in ("state", "device") and not isinstance(value, dict):
                    add(key, scalar(value))
        elif stream == "classes":
            names = self.remember_classes(device, doc)
            add("version", json.dumps(doc["version"]))
            add("retained", "true" if message.retain else "false")
            for i, name in enumerate(names):
                add(str(i), quote(name))
        elif stream == "metrics":
            add("frame", json.dumps(doc["frame"]))
            for name, share in doc["coverage"].items():
                if name != "background":
                    add(name, json.dumps(share))
            add("objects", len(doc["objects"]))
            add("lane", scalar(doc["lane"]["status"]))
            add("offset", json.dumps(doc["lane"]["offset"]))
        else:  # events
            for key, value in doc.items():
                if key not in ("schema", "source"):
                    add(key, scalar(value))
        return " ".join(parts)

    def json_line(self, stream, device, source, message):
        props = getattr(message, "properties", None)
        fields = {
            "topic": message.topic,
            "device": device,
            "source": source,
            "retain": bool(message.retain),
            "qos": message.qos,
            "contentType": getattr(props, "ContentType", None),
            "payloadFormat": "utf8" if getattr(props, "PayloadFormatIndicator", 0) == 1 else "unspecified",
            "userProperties": user_properties(message),
        }
        if stream == "mask":
            fields.update(decode_mask(message.payload))
        else:
            doc = json.loads(message.payload.decode("utf-8"))
            if stream == "classes":
                self.remember_classes(device, doc)
            fields["payload"] = doc
        return f"{stream} " + json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def user_properties(message):
    props = getattr(message, "properties", None)
    return {name: value for name, value in getattr(props, "UserProperty", None) or []}


def log(text):
    print(text, file=sys.stderr, flush=True)


def main(argv=None):
    args = parse_args(argv)
    printer = Printer(args.prefix, args.json)
    # paho-mqtt 2 asks which callback signatures to use; 1.6 (Debian 12) has the version 1 ones only.
    if hasattr(mqtt, "CallbackAPIVersion"):
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, client_id=args.client_id, protocol=mqtt.MQTTv5)
    else:
        client = mqtt.Client(client_id=args.client_id, protocol=mqtt.MQTTv5)

    def on_connect(client, userdata, flags, reason, properties):
        if getattr(reason, "value", reason) >= 128:
            log(f"connect refused by {args.host}:{args.port}: {reason}")
            return
        present = bool(flags.get("session present")) if isinstance(flags, dict) else bool(flags.session_present)
        log(f"connected to {args.host}:{args.port} as {args.client_id} (session present: {present})")
        if not present:
            # A new session: subscribe. A resumed one still has its subscriptions, and the broker now sends what it kept.
            client.subscribe([(f, 1) for f in filters(args.prefix, args.device)])

    def on_subscribe(client, userdata, mid, granted, properties):
        log("subscribed: " + ", ".join(f"{f} ({g})" for f, g in zip(filters(args.prefix, args.device), granted)))

    def on_disconnect(client, userdata, reason, properties=None):
        if not stopping:
            log(f"connection lost ({reason}); reconnecting")

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_disconnect = on_disconnect
    client.on_message = lambda client, userdata, message: printer.print(message)
    client.reconnect_delay_set(min_delay=1, max_delay=30)

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        # A normal DISCONNECT: no will, and the session (with what arrives meanwhile) waits for the next run.
        client.disconnect()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    connect_properties = Properties(PacketTypes.CONNECT)
    # A persistent session: the broker keeps our subscriptions and queues QoS 1 messages while we are away.
    connect_properties.SessionExpiryInterval = args.session_expiry
    log(f"following {'device ' + args.device if args.device else 'every device'} under {args.prefix}/ on {args.host}:{args.port}")
    # connect_async only records where to connect; loop_forever connects, and reconnects with backoff after a drop.
    client.connect_async(args.host, args.port, keepalive=30, clean_start=False, properties=connect_properties)
    client.loop_forever(retry_first_connection=True)
    log(f"disconnected; the broker keeps the session for {args.session_expiry} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
