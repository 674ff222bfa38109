"""User names: what makes two of them one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansei.model.access import name_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("adm", "adm"),
        ("ADM", "adm"),
        ("ａｄｍ", "adm"),
        ("ＡＤＭ", "adm"),
        ("Sato.Ken", "sato.ken"),
        ("\u212a", "k"),  # KELVIN SIGN
        ("ﬃ", "ffi"),
        ("Straße", "strasse"),
    ],
)
def test_names_differing_in_case_width_or_compatibility_form_share_a_key(
    name: str, key: str
) -> None:
    assert name_key(name) == key


def test_names_that_differ_otherwise_keep_different_keys() -> None:
    assert len({name_key(name) for name in ("adm", "adm1", "ad-m", "adm.", "田中")}) == 5


@given(st.text())
def test_the_key_of_a_key_is_itself(name: str) -> None:
    key = name_key(name)
    assert name_key(key) == key
