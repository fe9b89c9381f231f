"""Failures on purpose: the next requests fail, answer slowly, or lose their connection.

Faults queue up in the order they were asked for and are used up one request at a time.
They hit Sheets requests (``/v4/...``); a fault asked for with ``include_auth=True`` hits
the token endpoint and the access boundary lookup as well.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass


@dataclass
class Fault:
    kind: str  # "fail", "delay" or "drop"
    remaining: int
    status: int = 0
    retry_after: str | None = None
    seconds: float = 0.0
    include_auth: bool = False

    @property
    def label(self) -> str:
        if self.kind == "fail":
            return f"fail {self.status}"
        if self.kind == "delay":
            return f"delay {self.seconds:g}s"
        return "drop"


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Fault] = deque()

    def add(self, fault: Fault) -> None:
        if fault.remaining < 1:
            return
        with self._lock:
            self._queue.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def take(self, is_auth: bool) -> Fault | None:
        """The fault this request meets, if any; using it up by one."""
        with self._lock:
            for fault in self._queue:
                if is_auth and not fault.include_auth:
                    continue
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._queue.remove(fault)
                return fault
        return None

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(f.remaining for f in self._queue)
