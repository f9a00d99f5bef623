"""Interleaved timing: baseline and candidate alternate, best-of-N each."""
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    baseline: str
    base_seconds: float
    seconds: float
    note: str = ""
    shown_ratio: float | None = None  # when the ratio is not seconds / base_seconds

    @property
    def ratio(self) -> float:
        if self.shown_ratio is not None:
            return self.shown_ratio
        return self.seconds / self.base_seconds


def compare(name: str, baseline_name: str, baseline: Callable, candidate: Callable,
            rounds: int = 7, number: int = 20, note: str = "") -> Result:
    """Time `number` calls of each, alternating, `rounds` times; keep the best round.

    The minimum is the least disturbed by other load on the machine.
    """
    base_times, times = [], []
    baseline(), candidate()  # warm caches and imports
    for _ in range(rounds):
        for fn, store in ((baseline, base_times), (candidate, times)):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            store.append((time.perf_counter() - start) / number)
    return Result(name, baseline_name, min(base_times), min(times), note)


def table(results: list[Result]) -> str:
    lines = ["| benchmark | baseline | baseline ms | ms | ratio |", "|---|---|---|---|---|"]
    for r in results:
        if r.baseline == "-":  # a plain timing, no baseline
            lines.append(f"| {r.name} | - | - | {r.seconds * 1000:.1f} | - |")
            continue
        lines.append(f"| {r.name} | {r.baseline} | {r.base_seconds * 1000:.2f} | "
                     f"{r.seconds * 1000:.2f} | {r.ratio:.3f} |")
    return "\n".join(lines)
