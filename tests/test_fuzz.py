"""Hostile and broken files, a few hundred per `make test` (scripts/fuzz.py runs ten thousand and more).

Every case must end as a model or as our own positioned message, quickly; Hypothesis
shrinks any failure to a small file and prints it.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import run_hypothesis
from fuzz_sop import KINDS, cases, run_case

pytestmark = pytest.mark.slow  # hundreds of mutated files, each loaded, checked and drawn


def test_every_mutated_file_is_a_model_or_our_own_error():
    seen: Counter = Counter()

    @settings(max_examples=400, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(case=cases())
    def one(case):
        kind, data = case
        with tempfile.TemporaryDirectory() as folder:
            seen[(kind, run_case(data, Path(folder)))] += 1

    run_hypothesis(one)
    assert {kind for kind, _ in seen} == set(KINDS), seen
    assert sum(seen.values()) >= 300
    assert any(result == "galat" for _, result in seen) and any(result == "model" for _, result in seen)
