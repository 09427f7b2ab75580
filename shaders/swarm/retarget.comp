#version 430
// Give each bot its own point on a glyph (swarm/aim.glsl).
// On a wall, a share of the bots (u_residents) stays behind on the glyphs already
// visited, spread over the roster, so the wall keeps its smiles lit by bots of its own.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/invocation.glsl"
#include "common/hash.glsl"

layout(std430, binding = BOTS_BINDING) buffer Bots { Bot bots[]; };
layout(std430, binding = SAMPLES_BINDING) readonly buffer Samples { vec4 samples[]; };
#include "swarm/aim.glsl"
layout(std430, binding = ROSTER_BINDING) readonly buffer Roster { vec4 roster[]; };  // place xy, scale, first sample

uniform uint u_end;
uniform uint u_count;          // bots in the whole swarm
uniform uint u_sample_base;    // the current glyph's first target sample
uniform uint u_sample_count;   // target samples per glyph
uniform vec3 u_place;          // where the current glyph sits: centre (frame units) and scale
uniform uint u_roster_size;    // visited glyphs that keep residents
uniform float u_residents;     // share of the bots that stay on them
uniform int u_seed;

void main() {
    uint i = invocation();
    if (i >= u_end) return;
    vec3 place = u_place;
    uint base = u_sample_base;
    float along = float(i) / float(u_count);
    vec3 stay = hash33(ivec3(int(i), u_seed, 4));
    if (u_roster_size > 0u && stay.x < u_residents) {
        vec4 home = roster[min(uint(stay.x / u_residents * float(u_roster_size)), u_roster_size - 1u)];
        place = home.xyz;
        base = uint(home.w);
        along = stay.y;
    }
    float stroke;
    bots[i].target = packHalf2x16(aimed_point(i, along, base, u_sample_count, place, u_seed, stroke));
    bots[i].look = packUnorm2x16(vec2(stroke, unpackUnorm2x16(bots[i].look).y));
}
