"""Compute dispatch: a count of items past the driver's most workgroups in x still runs, each item once."""

import numpy as np

from neoterra_glow.gpu.compute import GROUP_SIZE, SURE_GROUPS, dispatch

COUNTS = """#version 430
layout(local_size_x = 256) in;
#include "common/invocation.glsl"
layout(std430, binding = 5) buffer Seen { uint seen[]; };
uniform uint u_end;

void main() {
    uint i = invocation();
    if (i >= u_end) return;
    seen[i] += 1u;
}
"""


def test_a_dispatch_past_the_most_workgroups_in_x_runs_every_item_exactly_once(ctx, library, tmp_path):
    (tmp_path / "counts.comp").write_text(COUNTS)
    shader = library.program(str(tmp_path / "counts.comp"))
    items = SURE_GROUPS * GROUP_SIZE + 300  # 16.8 million: one group more than a driver need run in x
    seen = ctx.buffer(reserve=items * 4)
    seen.clear()
    seen.bind_to_storage_buffer(5)
    try:
        dispatch(ctx, shader, items, {"u_end": items})
        counted = np.frombuffer(seen.read(), np.uint32)
    finally:
        seen.release()
    assert counted.min() == 1 and counted.max() == 1
