#version 430
// Benchmark setup: every bot on its own target (a fully formed face, the splat's worst
// contention) or scattered across the frame (the least), for the same count.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/invocation.glsl"
#include "common/hash.glsl"

layout(std430, binding = BOTS_BINDING) buffer Bots { Bot bots[]; };

uniform uint u_end;
uniform bool u_formed;
uniform float u_aspect;

void main() {
    uint i = invocation();
    if (i >= u_end) return;
    vec3 h = hash33(ivec3(int(i), 9, 9));
    bots[i].pos = u_formed ? unpackHalf2x16(bots[i].target) : (h.xy * 2.0 - 1.0) * vec2(u_aspect, 1.0);
}
