#version 430
// Give each bot its own point on a glyph (swarm/aim.glsl).
// On a wall, a share of the bots (u_residents) stays behind on the glyphs already
// visited (swarm/home.glsl), so the wall keeps its smiles lit by bots of its own.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/invocation.glsl"
#include "common/hash.glsl"

layout(std430, binding = BOTS_BINDING) buffer Bots { Bot bots[]; };
layout(std430, binding = SAMPLES_BINDING) readonly buffer Samples { vec4 samples[]; };
#include "swarm/aim.glsl"
#include "swarm/home.glsl"

uniform uint u_end;
uniform uint u_count;          // bots in the whole swarm
uniform uint u_sample_base;    // the current glyph's first target sample
uniform uint u_sample_count;   // target samples per glyph
uniform vec3 u_place;          // where the current glyph sits: centre (frame units) and scale
uniform float u_residents;     // share of the bots that stay on the roster's faces (home.glsl)
uniform int u_seed;

void main() {
    uint i = invocation();
    if (i >= u_end) return;
    vec3 place = u_place;
    uint base = u_sample_base;
    int home = home_of(i, u_count, u_sample_count, u_residents, u_seed, u_sample_base);
    if (home >= 0) {
        place = roster[home].xyz;
        base = uint(roster[home].w);
    }
    float stroke;  // a bot's point on a face is the same whichever face is being formed: a face kept stays as it was
    bots[i].target = packHalf2x16(aimed_point(i, float(i) / float(u_count), base, u_sample_count, place, u_seed, stroke));
    bots[i].look = packUnorm2x16(vec2(stroke, unpackUnorm2x16(bots[i].look).y));
}
