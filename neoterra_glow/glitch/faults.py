"""Faults as plain data: what malfunctions, how hard, for how long, and the shape of it in time."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from neoterra_glow.core.frame import Faults


@dataclass(frozen=True)
class FaultKind:
    """One kind of malfunction, declared once: everything that names fault kinds reads this.

    target: "bots" (in the swarm's own passes), "screen" (on the frame, before the bloom), or
    "repair" (embrace: how damage heals, not a fault itself). stage: where it is drawn, so the
    passes know when to run their variants: "step" is compiled into the swarm's faulty step,
    "light" only into the splat (which draws every particle fault's look: shaders/swarm/
    fault_light.glsl), "screen" into the one-pass screen shader; sort and smear have passes of
    their own. random: whether random faults may pick it.
    """

    name: str
    target: str
    stage: str
    random: bool = True


FAULT_KINDS = (
    FaultKind("stall", "bots", "step"),
    FaultKind("scatter", "bots", "step"),
    FaultKind("swap", "bots", "step"),
    FaultKind("colour", "bots", "light"),
    FaultKind("flicker", "bots", "light"),
    FaultKind("cascade", "bots", "step"),
    # random faults are the bots' own: the screen breaks only where a timeline, a cue or an operator says
    FaultKind("split", "screen", "screen", random=False),
    FaultKind("blocks", "screen", "screen", random=False),
    FaultKind("tear", "screen", "screen", random=False),
    FaultKind("smear", "screen", "smear", random=False),
    FaultKind("sort", "screen", "sort", random=False),
    FaultKind("crush", "screen", "screen", random=False),
    FaultKind("static", "screen", "screen", random=False),
    FaultKind("embrace", "repair", "light", random=False),  # every wound turns gold, for good (kintsugi): the artists' choice
)


def kinds(*, target: str | None = None, stage: str | None = None, random: bool | None = None) -> tuple[str, ...]:
    """The names of the fault kinds that match."""
    return tuple(k.name for k in FAULT_KINDS
                 if (target is None or k.target == target) and (stage is None or k.stage == stage)
                 and (random is None or k.random == random))


KINDS = kinds()
PARTICLE_KINDS = kinds(target="bots")
SCREEN_KINDS = kinds(target="screen")
ENVELOPES = ("spike", "swell", "hold", "strobe")
SCREEN_SECONDS = 1.5  # a screen fault's longest run at full strength: then it fades out over SCREEN_FADE
SCREEN_FADE = 0.5


SHARE_ALONE = 0.35  # the most of a face that a swap, a scatter or a cascade takes away on its own: 0.65 stays in place
STALL_ALONE = 0.5  # and a stall's patch at most: it takes nothing away (its bots freeze where they are, as dead pixels)
SHARE_TOGETHER = 0.3  # and that they take together, in the chaos: a face stays legible through it
CASCADE_BAND = 0.2  # the share of the face a cascade at full strength has failed at once, behind its front: fault.glsl's
COLOUR_SHARE = 0.25  # the most of a face a colour fault tints: a few stretches, the face keeps its own hue (at 0.6, most of it)


def particle_uniforms(faults: Faults, changing: float = 0.0) -> dict:
    """The uniforms of shaders/swarm/fault.glsl, which the step and the splat share, so both
    pick the same bots: every particle fault's level, the embrace's, the cascade's front.

    Swap, scatter and cascade take bots off the face: each takes at most SHARE_ALONE of it (a stall, which
    freezes its own, STALL_ALONE), and together, when they overlap, they share SHARE_TOGETHER, so that a face
    keeps most of its outline through every fault (a scatter throws twice its level, a cascade fails CASCADE_BAND
    of its level); a colour fault tints COLOUR_SHARE of it at most. A fault strikes a formed face: while the swarm
    changes face (`changing`, swarm.py's Bots.changing: 1 until the next face has formed) the bots' faults wait,
    so a change is never read as a fault's mess or colour (the finale's scatter over one read as a lime ring)."""
    formed = 1.0 - min(max(changing, 0.0), 1.0)
    levels = {kind: faults[kind] * formed for kind in PARTICLE_KINDS}
    levels["colour"] = min(levels["colour"], COLOUR_SHARE)
    levels.update({kind: faults[kind] for kind in kinds(target="repair")})
    per_share = dict(stall=1.0, swap=1.0, scatter=2.0, cascade=CASCADE_BAND)  # the share a level takes
    shares = {kind: min(levels[kind] * per, STALL_ALONE if kind == "stall" else SHARE_ALONE) for kind, per in per_share.items()}
    if sum(1 for share in shares.values() if share > 0) > 1 and sum(shares.values()) > SHARE_TOGETHER:
        shares = {kind: share * SHARE_TOGETHER / sum(shares.values()) for kind, share in shares.items()}
    levels.update({kind: share / per_share[kind] for kind, share in shares.items()})
    return dict({f"u_fault_{kind}": level for kind, level in levels.items()}, u_fault_front=faults.front)


@dataclass(frozen=True)
class Fault:
    """One malfunction: `kind` at `intensity` (0..1) from `start` for `duration` seconds, and again
    every `every` seconds from then on when that is set (a long show's faults keep coming)."""

    kind: str
    intensity: float
    start: float = field(metadata={"key": "at"})  # a preset's [[fault]] says when it starts with `at`
    duration: float
    envelope: str = "spike"
    seed: int = field(default=0, metadata={"key": None})  # the engine's: one per fault
    every: float = 0.0  # seconds from one start to the next; 0: once

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"fault kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.envelope not in ENVELOPES:
            raise ValueError(f"envelope {self.envelope!r} is not one of {', '.join(ENVELOPES)}")
        if not 0.0 <= self.intensity <= 1.0 or not math.isfinite(self.intensity):
            raise ValueError(f"intensity must be in 0..1, got {self.intensity!r}")
        if not 0.0 < self.duration <= 3600.0:
            raise ValueError(f"duration must be more than 0 seconds (and at most an hour), got {self.duration!r}")
        if not (self.every == 0.0 or self.duration <= self.every <= 3600.0):
            raise ValueError(f"every must be 0 (once) or from its duration ({self.duration:g} s) to an hour, got {self.every!r}")

    def since(self, time: float) -> float:
        """Seconds since the fault last started (negative before its first start)."""
        seconds = time - self.start
        return seconds % self.every if self.every > 0.0 and seconds > 0.0 else seconds

    def over(self, time: float) -> bool:
        """Whether it will never run again after `time`."""
        return self.every == 0.0 and time >= self.start + self.duration

    def progress(self, time: float) -> float:
        """How far through the fault's latest run `time` is: 0 at its start, 1 at its end."""
        return self.since(time) / self.duration

    def level(self, time: float) -> float:
        """Its strength at `time`: the intensity shaped by the envelope, zero outside it.

        spike: a hit, at once, that decays; swell: rises and falls smoothly; hold: steady
        from its first frame, with a short ramp out; strobe: on and off three times a second (no
        faster: a safe flash rate).
        A screen fault is cut short after SCREEN_SECONDS: the malfunction is the bots', and a
        face is never buried under the screen's for long.
        """
        t = self.progress(time)
        if not 0.0 <= t < 1.0:
            return 0.0
        seconds = self.since(time)
        if self.envelope == "spike":
            shape = math.exp(-4.0 * t)
        elif self.envelope == "swell":
            shape = math.sin(math.pi * t) ** 2
        elif self.envelope == "hold":
            shape = min(1.0, (self.duration - seconds) / 0.05)
        else:
            shape = 1.0 if (seconds * 3.0) % 1.0 < 0.5 else 0.0
        if self.kind in SCREEN_KINDS:
            shape *= min(1.0, max(0.0, (SCREEN_SECONDS + SCREEN_FADE - seconds) / SCREEN_FADE))
        return self.intensity * shape
