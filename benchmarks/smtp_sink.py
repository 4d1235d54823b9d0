"""An SMTP server that accepts every message, takes ``--delay-ms`` over each, and logs it.

For benchmarks and fault runs that need a real mail server in a child process (the outbox's
SMTP backend, connection reuse, an outage by stopping the process):

    .venv/bin/python benchmarks/smtp_sink.py --port 8825 --delay-ms 20 --log /tmp/mail.log

Django then sends to it with ``EMAIL_HOST=127.0.0.1``, ``EMAIL_PORT=8825`` and the SMTP backend.
Each accepted message appends one line to ``--log``, flushed at once (a reader polling the file,
or a sink killed right after, loses nothing that was answered "250"):

    <X-Tyonohjaus-Delivery header or "-"> <Message-ID or "-">

The line is written after the delay, just before the "250" reply, as a real server records a
message it accepts. Prints ``listening on 127.0.0.1:<port>`` once it accepts connections;
SIGTERM or SIGINT stops it. Connections are served concurrently (asyncio), so the delay is per
message, not a queue: N clients sending at once each see about ``--delay-ms``.
"""

import argparse
import asyncio
import signal
import sys
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller

HEADER = "X-Tyonohjaus-Delivery"


class Sink:
    def __init__(self, delay_seconds: float, log):
        self.delay = delay_seconds
        self.log = log
        self.parser = BytesHeaderParser()
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        content = envelope.original_content or envelope.content or b""
        head = content.split(b"\r\n\r\n", 1)[0]
        headers = self.parser.parsebytes(head)
        delivery = " ".join(str(headers.get(HEADER, "-")).split()) or "-"
        message_id = " ".join(str(headers.get("Message-ID", "-")).split()) or "-"
        self.count += 1
        if self.log is not None:
            self.log.write(f"{delivery} {message_id}\n")
            self.log.flush()
        return "250 Message accepted for delivery"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8825)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="per message, async sleep")
    parser.add_argument("--log", help="file to append one line per accepted message to")
    args = parser.parse_args(argv)

    log = open(args.log, "a", encoding="utf-8") if args.log else None
    handler = Sink(args.delay_ms / 1000, log)
    # No SIZE limit worth hitting, 8-bit bodies kept as sent; no AUTH or TLS.
    controller = Controller(
        handler, hostname=args.host, port=args.port, data_size_limit=0, decode_data=False
    )
    controller.start()
    sys.stdout.write(f"listening on {args.host}:{args.port}\n")
    sys.stdout.flush()
    try:
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
    finally:
        controller.stop()
        if log is not None:
            log.close()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
