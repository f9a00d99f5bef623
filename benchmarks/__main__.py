"""Run every `bench_*` function in the benchmarks package and print a table."""
import importlib
import pkgutil
import sys

import benchmarks
from benchmarks.harness import table


def main() -> int:
    results = []
    for module_info in pkgutil.iter_modules(benchmarks.__path__):
        if not module_info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"benchmarks.{module_info.name}")
        for name in sorted(dir(module)):
            if name.startswith("bench_"):
                print(f"running {module_info.name}.{name} ...", file=sys.stderr)
                result = getattr(module, name)()
                results.extend(result if isinstance(result, list) else [result])
    print(table(results))
    for r in results:
        if r.note:
            print(f"- {r.name}: {r.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
