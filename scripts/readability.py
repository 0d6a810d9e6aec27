"""The readability bar: the wheel's code and the docs hooks, measured the way a reader meets them.

    python scripts/readability.py [--check] [--root PATH]

Four rules, on every Python file under morocco_migration_2017/ and docs/_hooks/:

- complexity: no block above radon's cyclomatic complexity 10;
- length: no function over 50 lines, from its `def` to its last line;
- width: no line over 100 characters;
- noqa: no `# noqa` without a reason after its codes.

and one on the wheel: without export/, at most 1,889 lines (`wc -l`); each line over is a fault.
An import cycle is lint-imports's to find (pyproject.toml), not this script's.

Without --check it prints every fault and the counts. With --check it exits 1 when the counts of any rule
are above those recorded in scripts/readability-baseline.json: the bar may only rise. A fault removed
lowers the count a change must keep; `--record` writes the counts of the tree as it stands, for the
commit that lowers them.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from radon.complexity import cc_visit

ROOTS = ("morocco_migration_2017", "docs/_hooks")
MAX_COMPLEXITY = 10
MAX_FUNCTION_LINES = 50
MAX_LINE = 100
MAX_WHEEL_LINES = 1889
BASELINE = Path(__file__).with_name("readability-baseline.json")
NOQA = re.compile(r"#\s*noqa\b(?::\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?(?P<reason>.*)$")


def python_files(root: Path) -> list[Path]:
    """Every .py file under the measured folders, in a stable order."""
    return sorted(p for folder in ROOTS for p in (root / folder).rglob("*.py") if p.is_file())


def complex_blocks(path: Path, text: str) -> Iterator[str]:
    """complexity: each block radon grades above MAX_COMPLEXITY."""
    for block in cc_visit(text):
        if block.complexity > MAX_COMPLEXITY:
            yield f"{path}:{block.lineno}: {block.name} has complexity {block.complexity}"


def long_functions(path: Path, text: str) -> Iterator[str]:
    """length: each function whose def-to-last-line span exceeds MAX_FUNCTION_LINES."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                yield f"{path}:{node.lineno}: {node.name} is {lines} lines long"


def wide_lines(path: Path, text: str) -> Iterator[str]:
    """width: each line longer than MAX_LINE characters."""
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > MAX_LINE:
            yield f"{path}:{number}: {len(line)} characters"


def bare_noqa(path: Path, text: str) -> Iterator[str]:
    """noqa: each `# noqa` with no words of reason after its codes."""
    for number, line in enumerate(text.splitlines(), 1):
        found = NOQA.search(line)
        if found and not re.search(r"[A-Za-z]{3}", found["reason"]):
            yield f"{path}:{number}: noqa without a reason"


RULES = {
    "complexity": complex_blocks,
    "length": long_functions,
    "width": wide_lines,
    "noqa": bare_noqa,
}


def wheel_lines(root: Path) -> int:
    """The wheel's code without export/, as `wc -l` counts it."""
    package = root / "morocco_migration_2017"
    files = [p for p in package.rglob("*.py") if "export" not in p.relative_to(package).parts]
    return sum(p.read_bytes().count(b"\n") for p in files)


def measure(root: Path) -> dict[str, list[str]]:
    """Every fault of every rule, by rule name."""
    faults: dict[str, list[str]] = {name: [] for name in RULES}
    for path in python_files(root):
        text = path.read_text(encoding="utf-8")
        shown = path.relative_to(root)
        for name, rule in RULES.items():
            faults[name].extend(rule(shown, text))
    excess = wheel_lines(root) - MAX_WHEEL_LINES  # each line over the limit counts as one fault
    faults["wheel"] = [f"the wheel is {excess} lines over {MAX_WHEEL_LINES:,}"] * max(excess, 0)
    return faults


def read_baseline(path: Path) -> dict[str, int] | bool | None:
    """The recorded counts (None: no baseline yet); False, with one line said, when the file is not
    a JSON object of whole numbers at least 0."""
    if not path.is_file():
        return None
    try:
        allowed = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"{path}: not a JSON baseline ({error})", file=sys.stderr)
        return False
    counts = allowed.items() if isinstance(allowed, dict) else [("(the whole file)", allowed)]
    bad = [name for name, count in counts if type(count) is not int or count < 0]
    if bad:
        print(f"{path}: each count must be a whole number at least 0, not {bad[0]!r}", file=sys.stderr)
        return False
    return allowed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if any count is above the baseline")
    parser.add_argument("--record", action="store_true", help="write the counts as the new baseline, if none is worse")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    args = parser.parse_args(argv)
    faults = measure(args.root)
    counts = {name: len(found) for name, found in faults.items()}
    for found in faults.values():
        for fault in sorted(set(found), key=found.index):
            print(fault)
    print("counts:", json.dumps(counts))
    if not (args.check or args.record):
        return 0
    allowed = read_baseline(args.baseline)
    if allowed is False:
        return 2
    if allowed is None:  # no baseline yet: --record writes the first, --check allows no fault
        allowed = counts if args.record else {}
    worse = [f"{n}: {c} (baseline {allowed.get(n, 0)})" for n, c in counts.items() if c > allowed.get(n, 0)]
    for line in worse:
        print(f"worse than the baseline: {line}", file=sys.stderr)
    if args.record and not worse:  # the bar may only rise: a worse count is never recorded
        args.baseline.write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
