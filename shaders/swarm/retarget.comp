#version 430
// Give each bot its own point on a glyph: a target sample, stratified over the ink in
// stroke order, then a random offset inside the stroke's width, so no two bots share a
// point and the swarm fills the stroke instead of clumping on its centre line.
// On a wall, a share of the bots (u_residents) stays behind on the glyphs already
// visited, spread over the roster, so the wall keeps its smiles lit by bots of its own.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/invocation.glsl"
#include "common/hash.glsl"

layout(std430, binding = BOTS_BINDING) buffer Bots { Bot bots[]; };
layout(std430, binding = SAMPLES_BINDING) readonly buffer Samples { vec4 samples[]; };
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
    vec3 h = hash33(ivec3(int(i), u_seed, 3));
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
    uint k = min(uint(along * float(u_sample_count)), u_sample_count - 1u);
    // most bots gather in knots on every eighth target, so a formed stroke reads as a stipple
    // of points of light (each a knot of bots) over a fine dust of the rest across the stroke
    bool knot = h.z < 0.85;
    if (knot) k &= ~7u;
    vec4 s = samples[base + k];
    float angle = 6.2831853 * h.y;
    vec2 inside = s.z * (knot ? 0.1 : 1.0) * sqrt(h.x) * vec2(cos(angle), sin(angle));
    bots[i].target = packHalf2x16(place.xy + place.z * (s.xy + inside));
    bots[i].look = packUnorm2x16(vec2(s.w, unpackUnorm2x16(bots[i].look).y));
}
