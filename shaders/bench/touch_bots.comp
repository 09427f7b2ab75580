#version 430
// Benchmark baseline: read every bot and write it back, nothing else. The swarm's
// step is measured against this bare walk over the same storage buffer.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/invocation.glsl"

layout(std430, binding = BOTS_BINDING) buffer Bots { Bot bots[]; };

uniform uint u_end;
uniform float u_dt;

void main() {
    uint i = invocation();
    if (i >= u_end) return;
    Bot b = bots[i];
    b.pos += u_dt;  // a change the compiler cannot drop
    bots[i] = b;
}
