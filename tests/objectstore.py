"""A real S3-compatible server for tests: moto's server in a process of its own, on an address
given (127.0.0.1 for the suite, a host's address in the multi-host test)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

ACCESS_KEY = "plaint-test"
SECRET_KEY = "plaint-test-secret"
REGION = "us-east-1"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class MotoServer:
    """``python -m moto.server`` on ``host:port``; ``prefix`` runs it elsewhere (``ip netns exec``)."""

    def __init__(
        self, host: str = "127.0.0.1", port: int | None = None, *, prefix: Sequence[str] = ()
    ):
        self.host = host
        self.port = port or free_port(host)
        self.prefix = list(prefix)
        self.process: subprocess.Popen[bytes] | None = None
        self.log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, log: Path, *, timeout: float = 30.0) -> MotoServer:
        self.log = log
        command = [
            *self.prefix, sys.executable, "-m", "moto.server", "-H", self.host, "-p", str(self.port)
        ]  # fmt: skip
        env = {**os.environ, "AWS_DEFAULT_REGION": REGION}
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server did not listen on {self.url} within {timeout:g} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def new_bucket(self) -> str:
        name = f"plaint-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name

    def environment(self, bucket: str) -> dict[str, str]:
        """The settings' environment that points Plaint at ``bucket`` on this server."""
        return {
            "PLAINT_FILE_STORE": "s3",
            "PLAINT_S3_BUCKET": bucket,
            "PLAINT_S3_ENDPOINT_URL": self.url,
            "PLAINT_S3_REGION": REGION,
            "PLAINT_S3_ADDRESSING_STYLE": "path",
            "PLAINT_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "PLAINT_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def storages_setting(self, bucket: str, base: dict) -> dict:
        """``STORAGES`` with the default storage in ``bucket`` (what the environment above gives)."""
        options = {
            "bucket_name": bucket,
            "endpoint_url": self.url,
            "region_name": REGION,
            "addressing_style": "path",
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
        }
        return {
            **base,
            "default": {"BACKEND": "plaint.core.objectstore.ObjectStore", "OPTIONS": options},
        }
