"""Mutated documents through the parser, lint, `lint --fix` and the renderers:
refusals (DocumentError) and findings only, never another exception.

A fixed number of seeds per mutator keeps this test bounded and reproducible;
bench/fuzz.py runs the same mutators for a time budget.
"""

from __future__ import annotations

import pytest

from tests.fuzzing import MUTATORS, SLOW, fuzz_one, mutated, run_pipeline, seed_documents

DOCUMENTS = seed_documents()
SEEDS = 8
SLOW_SEEDS = 3

# Instants past year 9999 (a timeline row on 9999-12-31 rolling over to the next day):
# these seeds crashed with OverflowError until the model bounded the instants a
# postmortem can mean; now they are refused like any value out of bounds.
OUT_OF_RANGE = [("replace_values", 12), ("replace_values", 21)]


@pytest.mark.parametrize("mutator", sorted(MUTATORS))
def test_mutated_documents_are_read_or_refused_never_crash(mutator: str) -> None:
    seeds = SLOW_SEEDS if mutator in SLOW else SEEDS
    crashes = [crash for seed in range(seeds) for crash in fuzz_one(mutator, seed, DOCUMENTS)]
    assert not crashes, "\n\n".join(
        f"{c.mutator} seed {c.seed} ({c.document}), {c.stage}:\n{c.trace}" for c in crashes
    )


def test_the_mutators_change_the_documents_and_reach_every_stage() -> None:
    # A fuzz run that only ever met refusals, or its own input, would prove nothing.
    read = refused = 0
    for name in MUTATORS:
        for seed in range(2):
            text = mutated(name, seed, DOCUMENTS)
            assert text not in {original for _, original in DOCUMENTS}, (name, seed)
            outcome = run_pipeline(text)
            refused += "parse" in outcome.refused
            read += "parse" not in outcome.refused
    assert read >= len(MUTATORS) // 2
    assert refused >= 1


@pytest.mark.parametrize(("mutator", "seed"), OUT_OF_RANGE)
def test_instants_out_of_range_are_refused(mutator: str, seed: int) -> None:
    assert fuzz_one(mutator, seed, DOCUMENTS) == []
