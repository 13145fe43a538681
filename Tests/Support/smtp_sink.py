#!/usr/bin/python3
"""A tiny SMTP server for tests: stores every message it accepts as a file in a folder.

Usage: smtp_sink.py PORT FOLDER   (listens on 127.0.0.1; stops on SIGTERM)
"""
import asyncore
import os
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import smtpd  # noqa: E402  (Python 3.11 still ships it; tests only)


class Sink(smtpd.SMTPServer):
    def __init__(self, port, folder):
        super().__init__(("127.0.0.1", port), None, decode_data=False)
        self.folder = folder
        self.count = 0

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        self.count += 1
        path = os.path.join(self.folder, f"{self.count:05d}.eml")
        with open(path + ".tmp", "wb") as handle:
            handle.write(f"X-Envelope-From: {mailfrom}\r\nX-Envelope-To: {','.join(rcpttos)}\r\n".encode())
            handle.write(data)
        os.rename(path + ".tmp", path)


if __name__ == "__main__":
    os.makedirs(sys.argv[2], exist_ok=True)
    Sink(int(sys.argv[1]), sys.argv[2])
    print("listening", flush=True)
    asyncore.loop(timeout=0.2)
