#version 430
// Give each bot its own point on a glyph: a target sample, stratified over the ink in
// stroke order, then a random offset inside the stroke's width, so no two bots share a
// point and the swarm fills the stroke instead of clumping on its centre line.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/hash.glsl"

layout(std430, binding = BOTS_BINDING) buffer Bots { Bot bots[]; };
layout(std430, binding = COLOURS_BINDING) buffer Colours { vec4 colours[]; };
layout(std430, binding = SAMPLES_BINDING) readonly buffer Samples { vec4 samples[]; };

uniform uint u_first;
uniform uint u_end;
uniform uint u_count;          // bots in the whole swarm
uniform uint u_sample_base;    // the glyph's first target sample
uniform uint u_sample_count;   // target samples per glyph
uniform vec3 u_place;          // where the glyph sits: centre (frame units) and scale
uniform int u_seed;

void main() {
    uint i = u_first + gl_GlobalInvocationID.x;
    if (i >= u_end) return;
    uint k = min(uint(float(i) / float(u_count) * float(u_sample_count)), u_sample_count - 1u);
    vec4 s = samples[u_sample_base + k];
    vec3 h = hash33(ivec3(int(i), u_seed, 3));
    float angle = 6.2831853 * h.y;
    vec2 inside = s.z * sqrt(h.x) * vec2(cos(angle), sin(angle));
    bots[i].target = u_place.xy + u_place.z * (s.xy + inside);
    colours[i].x = s.w;
}
