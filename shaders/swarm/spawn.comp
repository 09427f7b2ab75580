#version 430
// New bots appear as dust across the whole frame, then swarm to their targets.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/invocation.glsl"
#include "common/hash.glsl"

layout(std430, binding = BOTS_BINDING) writeonly buffer Bots { Bot bots[]; };

uniform uint u_first;
uniform uint u_end;
uniform int u_seed;
uniform float u_aspect;

void main() {
    uint i = u_first + invocation();
    if (i >= u_end) return;
    vec3 h = hash33(ivec3(int(i), u_seed, 1));
    vec3 g = hash33(ivec3(int(i), u_seed, 2));
    vec2 pos = (h.xy * 2.0 - 1.0) * vec2(u_aspect * 1.1, 1.1);
    bots[i] = Bot(pos, packHalf2x16(vec2(0.0)), packHalf2x16(pos), packUnorm2x16(vec2(h.z, 1.0)),
                  packUnorm2x16(vec2(0.0, g.x)));
}
