"""Mutation score of the validator on a seeded random sample of its mutants.

    python scripts/mutation_sample.py [--seed N] [--size 300]

Uses mutmut (the `[mutation]` extra) with the settings in pyproject.toml ([tool.mutmut]: the validator
modules, and the tests that exercise them). Steps: generate every mutant, draw a seeded sample of them,
test that sample, print the share killed and list every survivor for review (`mutmut show NAME`). A
survivor is equivalent only when no input can tell it from the original: read it before saying so.
Exit status 0 when at least --target of the sample is killed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [sys.executable, "-m", "mutmut"]
CAUGHT = ("killed", "timeout", "caught by type check")  # mutmut's statuses for a mutant the tests noticed


def mutant_names() -> list[str]:
    """Every mutant mutmut generated, from its .meta files."""
    names = []
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        names += sorted(json.loads(meta.read_text())["exit_code_by_key"])
    return names


def exit_codes() -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    return codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--target", type=float, default=0.9)
    args = parser.parse_args(argv)
    # Generation (and mutmut's per-test coverage) happens before any mutant is tested; a filter that
    # matches nothing stops mutmut right after it.
    subprocess.run([*MUTMUT, "run", "no-such-mutant-*"], cwd=ROOT, capture_output=True)
    names = mutant_names()
    if not names:
        print("mutation_sample: error: mutmut generated no mutants", file=sys.stderr)
        return 2
    sample = sorted(random.Random(args.seed).sample(names, min(args.size, len(names))))
    subprocess.run([*MUTMUT, "run", *sample], cwd=ROOT)
    from mutmut.stats import status_by_exit_code  # imported here: mutmut reads its configuration on import

    codes = exit_codes()
    status = {name: status_by_exit_code[codes.get(name)] for name in sample}
    killed = [name for name, word in status.items() if word in CAUGHT]
    score = len(killed) / len(sample)
    print(f"mutants: {len(names)}; sample: {len(sample)} (seed {args.seed})")
    print(f"killed: {len(killed)} ({score:.1%}); not killed: {len(sample) - len(killed)}")
    for name in sorted(set(sample) - set(killed)):
        print(f"  {name}: {status[name]}")
    return 0 if score >= args.target else 1


if __name__ == "__main__":
    raise SystemExit(main())
