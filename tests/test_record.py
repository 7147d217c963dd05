"""``@record`` (base/record.py) behaves as the ``@dataclass`` it replaces, and is made faster."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from wbbrief.base.record import record


def _pair(frozen: bool = True, eq: bool = True) -> tuple[type, type]:
    """The same class made by @record and by @dataclass."""

    def body() -> dict[str, Any]:
        return {
            "__annotations__": {"a": "int", "b": "str", "c": "tuple[int, ...]", "d": "list[int]", "e": "Any"},
            "__doc__": "A class.",
            "__module__": __name__,
            "b": "x",
            "c": (),
            "d": field(default_factory=list),
            "e": field(default=0, compare=False, repr=False),
        }

    made = record(frozen=frozen, eq=eq)(type("Made", (), body()))
    stdlib = dataclass(frozen=frozen, eq=eq)(type("Made", (), body()))
    return made, stdlib


@pytest.mark.parametrize(("frozen", "eq"), [(True, True), (False, True), (True, False)])
def test_a_record_behaves_as_its_dataclass(frozen: bool, eq: bool) -> None:
    made, stdlib = _pair(frozen, eq)
    for kind in (made, stdlib):
        kind.__qualname__ = "Made"
    m1, m2, m3 = made(1), made(1, "x", (), [], e="ignored"), made(2, "y", (3,), [4])
    s1, s2, s3 = stdlib(1), stdlib(1, "x", (), [], e="ignored"), stdlib(2, "y", (3,), [4])
    assert repr(m3) == repr(s3) == "Made(a=2, b='y', c=(3,), d=[4])"
    assert (m1 == m2, m1 == m3, m1 != m2) == (s1 == s2, s1 == s3, s1 != s2)
    assert (m1 == 1) is (s1 == 1) is False
    assert m1.d is not made(1).d  # each instance its own list (default_factory)

    def described(f: dataclasses.Field[Any]) -> tuple[Any, ...]:
        return (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.compare, f.hash, f.kw_only)

    assert [described(f) for f in dataclasses.fields(m1)] == [described(f) for f in dataclasses.fields(s1)]
    assert (hasattr(made, "d"), made.b, made.e) == (hasattr(stdlib, "d"), stdlib.b, stdlib.e) == (False, "x", 0)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'a'"):
        made()
    assert dataclasses.is_dataclass(m1) and dataclasses.asdict(m3) == dataclasses.asdict(s3)
    assert dataclasses.replace(m3, a=5) == made(5, "y", (3,), [4]) or not eq
    assert made.__match_args__ == stdlib.__match_args__
    match m3:
        case made(a, b):  # type: ignore[misc]
            assert (a, b) == (2, "y")
    if frozen:
        with pytest.raises(dataclasses.FrozenInstanceError, match=r"^cannot assign to field 'a'$"):
            m1.a = 3
        with pytest.raises(dataclasses.FrozenInstanceError, match=r"^cannot delete field 'a'$"):
            del m1.a
    else:
        m1.a = 3
        assert m1.a == 3
    if eq and frozen:
        hashable = (made(1, "x", (2,), []), stdlib(1, "x", (2,), []))
        with pytest.raises(TypeError):  # a list field: unhashable, as the dataclass is
            hash(hashable[0])
        with pytest.raises(TypeError):
            hash(hashable[1])
    elif eq:
        assert made.__hash__ is None and stdlib.__hash__ is None
    else:  # compared and hashed by identity
        assert m1 == m1 and m1 != made(1) and s1 != stdlib(1)
        assert hash(m1) == object.__hash__(m1)


def test_equal_records_hash_alike_and_survive_pickle_and_copy() -> None:
    @record
    class Point:
        """A point."""

        x: int
        y: tuple[str, ...] = ()
        note: str = field(default="", compare=False)

    a, b = Point(1, ("a",), "one"), Point(1, ("a",), "other")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1  # 'note' is not compared
    assert Point(2) != a and hash(Point(1)) != hash(Point(2))
    globals()["Point"] = Point  # pickle finds classes by name
    Point.__qualname__ = "Point"
    assert pickle.loads(pickle.dumps(a)) == a and copy.deepcopy(a) == a and copy.copy(a) == a


def test_a_one_field_record_compares_by_its_value() -> None:
    @record
    class One:
        """One field."""

        value: int

    @record
    class Empty:
        """No field."""

    assert One(1) == One(1) and One(1) != One(2) and hash(One(1)) == hash(One(1))
    assert Empty() == Empty() and repr(Empty()) == "test_a_one_field_record_compares_by_its_value.<locals>.Empty()"


def test_a_record_inherits_its_bases_fields() -> None:
    @record
    class Base:
        """A base."""

        a: int

    @record
    class Child(Base):
        """A child."""

        b: str = ""

    child = Child(1, "x")
    assert (child.a, child.b) == (1, "x") and [f.name for f in dataclasses.fields(child)] == ["a", "b"]
    assert child != Base(1)


def test_what_a_record_refuses() -> None:
    with pytest.raises(ValueError, match="mutable default <class 'list'> for field a"):
        record(type("Bad", (), {"__annotations__": {"a": "list[int]"}, "a": [], "__doc__": "x"}))
    for annotation in ("ClassVar[int]", ClassVar[int], "InitVar[int]", dataclasses.InitVar[int], dataclasses.KW_ONLY):
        with pytest.raises(TypeError, match="is for @dataclass"):
            record(type("Bad", (), {"__annotations__": {"a": annotation}, "a": 1, "__doc__": "x"}))
    made = record(type("Good", (), {"__annotations__": {"a": int, "b": "str"}, "b": "", "__doc__": "x"}))
    assert made(1) == made(1, "") != made(2)
    with pytest.raises(TypeError, match="defines __eq__"):
        record(type("Bad", (), {"__annotations__": {}, "__eq__": lambda s, o: True, "__doc__": "x"}))
