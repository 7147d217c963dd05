"""``@record``: a dataclass, made in a fraction of the time ``@dataclass`` takes to make one.

wbbrief's types are small frozen dataclasses — over a hundred of them — and every command makes the
ones on its path when it starts. ``@dataclass(frozen=True)`` compiles six methods per class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``): some
0.3 ms a class, a good part of the start-up time issue 15 bounds. ``@record`` is the same dataclass
— ``dataclasses.fields``, ``replace``, ``asdict``, ``field(default_factory=…)``, ``compare=False``,
pattern matching and pickling work as before, and type checkers read it as a dataclass
(``dataclass_transform``) — but it compiles only ``__init__``; the other methods are shared ones that
read the class's fields, and behave as the generated ones do (tests/test_record.py compares them).

``@record`` is frozen; ``@record(frozen=False)`` makes a mutable one (equal by value, unhashable);
``eq=False`` keeps identity for equality and hashing. Anything else (``order=True``, slots) is
``@dataclass`` itself.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T", bound=type)

_MISSING = dataclasses.MISSING


def _repr(self: Any) -> str:
    values = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_repr__)
    return f"{type(self).__qualname__}({values})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = type(self).__record_key__
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(type(self).__record_key__(self))


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _fewer(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The compared values of a class with one field or none, as a tuple (attrgetter gives a bare value)."""
    return lambda self: tuple(getattr(self, name) for name in names)


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...], frozen: bool) -> Callable[..., None]:
    """The class's ``__init__``: the one method compiled for it, as ``dataclass`` writes it."""
    params, body = [], []
    names: dict[str, Any] = {"__set": object.__setattr__, "__missing": _MISSING}
    for field in fields:
        name = field.name
        if field.default is not _MISSING:
            names[f"__d_{name}"] = field.default
            params.append(f"{name}=__d_{name}")
        elif field.default_factory is not _MISSING:
            names[f"__f_{name}"] = field.default_factory
            params.append(f"{name}=__missing")
            name = f"__f_{name}() if {name} is __missing else {name}"
        else:
            params.append(name)
        body.append(f"__set(self, {field.name!r}, {name})" if frozen else f"self.{field.name} = {name}")
    source = f"def __init__(self, {', '.join(params)}):\n    " + ("\n    ".join(body) or "pass")
    exec(source, names)
    init: Callable[..., None] = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _fields(cls: type) -> dict[str, dataclasses.Field[Any]]:
    """The class's fields, as ``dataclass`` collects them (its bases' first, then its own annotations),
    without the rest of ``dataclass``'s work. ClassVar, InitVar and KW_ONLY are ``@dataclass``'s."""
    found: dict[str, dataclasses.Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        found.update(getattr(base, "__dataclass_fields__", {}))
    for name, annotation in inspect.get_annotations(cls).items():
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if any(word in text for word in ("ClassVar", "InitVar", "KW_ONLY")):
            raise TypeError(f"@record {cls.__qualname__}.{name}: {text} is for @dataclass")
        default = cls.__dict__.get(name, _MISSING)
        field: Any = default if isinstance(default, dataclasses.Field) else dataclasses.field(default=default)
        if isinstance(field.default, list | dict | set):
            raise ValueError(
                f"mutable default {type(field.default)} for field {name} is not allowed: use default_factory"
            )
        field.name, field.type, field.kw_only = name, annotation, False
        field._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what dataclasses.fields() lists
        if isinstance(default, dataclasses.Field):  # the class attribute is the default, as dataclass leaves it
            if field.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, field.default)
        found[name] = field
    return found


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, frozen: bool = True, eq: bool = True) -> Callable[[T], T]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: T | None = None, /, *, frozen: bool = True, eq: bool = True) -> T | Callable[[T], T]:
    """A dataclass (frozen, compared and hashed by value unless told otherwise), made quickly."""

    def make(cls: T) -> T:
        for own in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
            if own in cls.__dict__:
                raise TypeError(f"@record {cls.__qualname__} defines {own}: use @dataclass")
        found = _fields(cls)
        fields = tuple(found.values())
        cls.__dataclass_fields__ = found  # type: ignore[attr-defined]  # dataclasses.fields, replace, asdict
        cls.__match_args__ = tuple(f.name for f in fields)  # type: ignore[attr-defined,misc]
        cls.__init__ = _init(cls, fields, frozen)  # type: ignore[misc]
        if cls.__dict__.get("__doc__") is None:
            cls.__doc__ = f"{cls.__name__}({', '.join(f.name for f in fields)})"
        cls.__record_repr__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
        compared = tuple(f.name for f in fields if f.compare)
        cls.__record_key__ = attrgetter(*compared) if len(compared) > 1 else _fewer(compared)  # type: ignore[attr-defined]
        cls.__repr__ = _repr  # type: ignore[assignment]
        if eq:
            cls.__eq__ = _eq  # type: ignore[assignment]
            cls.__hash__ = _hash if frozen else None  # type: ignore[assignment]
        if frozen:
            cls.__setattr__ = _frozen_setattr  # type: ignore[assignment]
            cls.__delattr__ = _frozen_delattr  # type: ignore[assignment]
        return cls

    return make if cls is None else make(cls)
