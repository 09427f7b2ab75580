"""Every control value checked once, where it reaches the desk, from what the commands
(control/commands.py) and the parameters (core/params.py) declare: finite numbers only, ranges,
text lengths and argument counts. OSC, MIDI, the remote, the audience page, the keys and the cue
list all arrive as Controls and pass here before anything acts on them, so no arithmetic ever
sees NaN, infinity or a 60 KB string. A refusal is a Refused, by kind, counted and logged by the
desk's Rejections (one line per kind every few seconds), never a traceback."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from neoterra_glow.control.commands import ARGUMENTS, PATH, Arg
from neoterra_glow.control.message import Control
from neoterra_glow.core.params import Kind, Param, ParamError

MOST_ARGUMENTS = 16  # a message with more is refused before any is looked at


class Refused(Exception):
    """A message refused, by kind; `reason` may be a function, worked out only when reported."""

    def __init__(self, kind: str, reason: str | Callable[[], str]) -> None:
        super().__init__(kind)
        self.kind = kind
        self.reason = reason

    def detail(self, message: Control) -> Callable[[], str]:
        reason = self.reason
        return lambda: f"{message.address} {shown(message.args)}: {reason() if callable(reason) else reason}"


def screened(args: tuple) -> tuple:
    """What every message must be, whatever it is for: a few arguments, each a number, true/false
    or text of a bounded length, every number finite."""
    if len(args) > MOST_ARGUMENTS:
        raise Refused("wrong type", f"{len(args)} arguments; at most {MOST_ARGUMENTS}")
    for arg in args:
        if isinstance(arg, str):
            if len(arg) > PATH:
                raise Refused("too long", f"text of {len(arg)} characters; at most {PATH}")
        elif isinstance(arg, float):
            if not math.isfinite(arg):
                raise Refused("not a number", f"{arg} is not a usable number; keeping the previous value")
        elif not isinstance(arg, int):  # bool is an int; blobs, nil, arrays and MIDI messages are not controls
            raise Refused("wrong type", f"a {type(arg).__name__} argument; controls take numbers, true/false and text")
    return args


def command_args(address: str, args: tuple, clamped: Callable[[str], None]) -> tuple:
    """The arguments of a desk command, checked against its declaration and converted (numbers
    to float or int, clamped into their bounds with a note to `clamped`)."""
    declared = ARGUMENTS[address]
    required = sum(1 for arg in declared if not arg.optional)
    if not required <= len(screened(args)) <= len(declared):
        expected = ", ".join(arg.what + (" (optional)" if arg.optional else "") for arg in declared) or "nothing"
        raise Refused("wrong type", f"expected {expected}")
    return tuple(_one(address, arg, value, clamped) for arg, value in zip(declared, args, strict=False))


def _one(address: str, arg: Arg, value: Any, clamped: Callable[[str], None]) -> Any:
    if arg.tag == "s":
        if not isinstance(value, str):
            raise Refused("wrong type", f"expected text ({arg.what}), got {shown((value,))}")
        if len(value) > arg.longest:
            raise Refused("too long", f"{arg.what}: {len(value)} characters; at most {arg.longest}")
        return value
    if isinstance(value, str) or (isinstance(value, bool) and arg.tag != "I"):
        raise Refused("wrong type", f"expected a number ({arg.what}), got {shown((value,))}")
    if arg.tag == "i":
        if value != int(value):
            raise Refused("wrong type", f"expected a whole number ({arg.what}), got {value}")
        value = int(value)
    else:
        value = float(value)
    if arg.bounds is not None and not arg.bounds[0] <= value <= arg.bounds[1]:
        lo, hi = arg.bounds
        inside = min(max(value, lo), hi)
        clamped(f"{address}: {arg.what} {value:g} is outside {lo:g}..{hi:g}; {inside:g} is used")
        value = type(value)(inside)
    return value


def parameter_value(param: Param, args: tuple, ceilings: Mapping[str, tuple[float, str]]) -> tuple[Any, str | None]:
    """The value a message's arguments give a parameter, converted by the parameter's own check,
    and a note if it was clamped. `ceilings`: a limit on a parameter that this machine sets
    (the bots the GPU can hold), with why; a value above it is refused."""
    if param.measured:
        raise Refused("read-only", f"{param.path} is measured from the sound; it cannot be set")
    if param.local:
        raise Refused("local only", f"{param.path} is set only where the show runs (its preset or command line)")
    try:
        value, note = param.check(_value(param, screened(args)))
    except ParamError as error:
        raise Refused("not a number" if "not a usable number" in str(error) else "wrong type", str(error)) from None
    if param.path in ceilings and value > ceilings[param.path][0]:
        most, why = ceilings[param.path]
        raise Refused("beyond the machine", f"{param.path} {value:,}: {why}; at most {most:,}")
    return value, note


def _value(param: Param, args: tuple) -> Any:
    """The value the (screened) arguments give a parameter of this kind, for its check."""
    kind = param.kind
    if kind is Kind.TRIGGER:
        if len(args) > 1:
            raise Refused("wrong type", f"expected nothing or one value, got {len(args)}")
        return bool(args[0]) if args else True
    if kind is Kind.COLOUR:
        if len(args) == 1 and isinstance(args[0], int) and not isinstance(args[0], bool):  # OSC 'r': 0xRRGGBBAA
            return [((args[0] >> shift) & 0xFF) / 255.0 for shift in (24, 16, 8)]
        if len(args) == 1:
            return args[0]  # "#rrggbb"
        if len(args) not in (3, 4):
            raise Refused("wrong type", f"expected #rrggbb or 3 numbers (r g b), got {len(args)} values")
        return list(numbers(args[:3], "r g b"))
    if kind is Kind.VEC2:
        return list(numbers(args, "x y", 2))
    if len(args) != 1:
        raise Refused("wrong type", f"expected one value, got {len(args)}")
    return args[0]


def numbers(args: tuple, what: str, count: int | None = None) -> tuple[float, ...]:
    """Screened arguments that must all be numbers (`count` of them, when given)."""
    if (count is not None and len(args) != count) or not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args):
        raise Refused("wrong type", f"expected {count or len(args)} numbers ({what})")
    return tuple(float(a) for a in args)


def shown(args: tuple) -> str:
    """Arguments as a log line shows them: 60 characters at most, however long they were."""
    text = " ".join(repr(a if not isinstance(a, str) or len(a) <= 60 else a[:60]) for a in args)
    return text if len(text) <= 60 else text[:57] + "..."
