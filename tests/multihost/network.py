"""Hosts for the multi-host test: network namespaces joined by veth pairs to one bridge.

The test process stays in the machine's own namespace and reaches every host through the bridge,
which has the network's first address (the "client" side: load, SMTP sink). Every name carries a
prefix unique to the run, and ``close()`` removes every namespace, pair and the bridge it made.
"""

from __future__ import annotations

import ipaddress
import os
import random
import shutil
import subprocess
from dataclasses import dataclass, field


class NetworkUnavailable(RuntimeError):
    """Namespaces cannot be made here (not root, no ``ip``, a kernel without them)."""


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30, check=check)


def why_unavailable() -> str:
    """Empty when hosts can be made; else the reason, for the skip message."""
    if os.geteuid() != 0:
        return "network namespaces need root (scripts/test runs this as root)"
    if shutil.which("ip") is None:
        return "`ip` (iproute2) not found: apt-get install iproute2"
    probe = f"plaint-probe-{os.getpid()}"
    made = _ip("netns", "add", probe, check=False)
    if made.returncode != 0:
        return f"`ip netns add` failed: {made.stderr.strip()}"
    _ip("netns", "del", probe, check=False)
    return ""


@dataclass
class Host:
    """One namespace with one address; ``run_prefix`` runs a command inside it."""

    role: str
    namespace: str
    address: str

    @property
    def run_prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.namespace]


def _free_subnet() -> ipaddress.IPv4Network:
    """A /24 in 10.128.0.0/9 that no route of this machine already covers."""
    routes = _ip("-4", "route", "show", "table", "all").stdout
    taken = []
    for line in routes.splitlines():
        word = line.split()[0] if line.split() else ""
        if word and word[0].isdigit():
            try:
                taken.append(ipaddress.ip_network(word if "/" in word else f"{word}/32", False))
            except ValueError:
                continue
    for _ in range(100):
        candidate = ipaddress.ip_network(
            f"10.{random.randint(128, 254)}.{random.randint(0, 255)}.0/24"
        )
        if not any(candidate.overlaps(net) for net in taken):
            return candidate
    raise NetworkUnavailable("no free 10.x.y.0/24 for the test network")


@dataclass
class Network:
    """A bridge with the test's address and any number of hosts on it."""

    prefix: str = field(default_factory=lambda: f"pl{os.getpid() % 100000:05d}")
    subnet: ipaddress.IPv4Network = field(default_factory=_free_subnet)
    hosts: list[Host] = field(default_factory=list)
    extra_addresses: list[str] = field(default_factory=list)
    _bridge_up: bool = False

    @property
    def bridge(self) -> str:
        return f"{self.prefix}br"

    def _address(self, index: int) -> str:
        return str(self.subnet.network_address + index)

    @property
    def gateway(self) -> str:
        """The bridge's address: where the test process is seen from the hosts."""
        return self._address(1)

    def open(self) -> Network:
        _ip("link", "add", self.bridge, "type", "bridge")
        self._bridge_up = True
        _ip("addr", "add", f"{self.gateway}/{self.subnet.prefixlen}", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")
        return self

    def add_host(self, role: str) -> Host:
        """A new namespace ``<prefix>-<role>`` joined to the bridge, with the next address."""
        index = len(self.hosts) + 10
        host = Host(role, f"{self.prefix}-{role}", self._address(index))
        outside, inside = f"{self.prefix}h{index}", f"{self.prefix}n{index}"
        _ip("netns", "add", host.namespace)
        self.hosts.append(host)
        _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        _ip("link", "set", inside, "netns", host.namespace)
        _ip("link", "set", outside, "master", self.bridge)
        _ip("link", "set", outside, "up")
        inner = ["-n", host.namespace]
        _ip(*inner, "addr", "add", f"{host.address}/{self.subnet.prefixlen}", "dev", inside)
        _ip(*inner, "link", "set", inside, "up")
        _ip(*inner, "link", "set", "lo", "up")
        return host

    def client_addresses(self, count: int) -> list[str]:
        """``count`` more addresses of the test process on the bridge (clients seen apart)."""
        start = 200 + len(self.extra_addresses)
        made = []
        for index in range(start, start + count):
            address = self._address(index)
            _ip("addr", "add", f"{address}/{self.subnet.prefixlen}", "dev", self.bridge)
            self.extra_addresses.append(address)
            made.append(address)
        return made

    def close(self) -> None:
        """Remove every namespace (its end of each pair goes with it) and the bridge."""
        for host in reversed(self.hosts):
            _ip("netns", "del", host.namespace, check=False)
        self.hosts.clear()
        if self._bridge_up:
            _ip("link", "del", self.bridge, check=False)
            self._bridge_up = False
