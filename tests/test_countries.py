"""Countries by name, code or alias, in any case, with or without diacritics."""

from __future__ import annotations

import pytest

from wbbrief.base.errors import UsageError
from wbbrief.dataset import countries


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Albania", "AL"), ("al", "AL"), ("Shqipëri", "AL"), ("shqiperi", "AL"), ("ALB", "AL"),
        ("Bosnia and Herzegovina", "BA"), ("BiH", "BA"), ("ba", "BA"), ("bosnia", "BA"),
        ("Kosovo", "XK"), ("Kosova", "XK"), ("xk", "XK"), ("KOSOVË", "XK"),
        ("Montenegro", "ME"), ("me", "ME"), ("MNE", "ME"), ("Crna Gora", "ME"),
        ("North Macedonia", "MK"), ("Macedonia", "MK"), ("mk", "MK"), ("north-macedonia", "MK"),
        ("Serbia", "RS"), ("RS", "RS"), ("SRB", "RS"), ("Srbija", "RS"), ("Србија", "RS"),
        ("WB6", "WB6"), ("western balkans", "WB6"),
    ],
)  # fmt: skip
def test_names_codes_and_aliases_resolve(typed: str, code: str) -> None:
    assert countries.resolve(typed) == code


def test_a_near_miss_gets_a_suggestion_and_the_valid_names() -> None:
    with pytest.raises(UsageError) as caught:
        countries.resolve("Albnia")
    message = str(caught.value)
    assert "unknown country 'Albnia'" in message
    assert "Did you mean Albania?" in message
    assert "Serbia (RS)" in message and "Kosovo (XK)" in message
    assert caught.value.exit_code == 2


def test_a_far_miss_gets_no_suggestion() -> None:
    with pytest.raises(UsageError) as caught:
        countries.resolve("Narnia-Land-Of-Lions")
    assert "Did you mean" not in str(caught.value)


def test_statuses_follow_the_paper() -> None:
    nato = {c.code: c.nato_status for c in countries.all_countries()}
    eu = {c.code: c.eu_status for c in countries.all_countries()}
    assert [c for c, s in nato.items() if s == "Member"] == ["AL", "ME", "MK"]
    assert sorted(c for c, s in nato.items() if s == "Partnership for Peace") == ["BA", "RS"]
    assert nato["XK"] == "Aspires to membership"
    assert sorted(c for c, s in eu.items() if s == "Status to be decided") == ["BA", "XK"]
