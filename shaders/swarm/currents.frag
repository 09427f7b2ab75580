#version 430
// The currents the bots ride: the curl of a slowly evolving noise field is
// divergence-free, so bots swirl and never pile up in sinks (Bridson et al. 2007).
// rg: broad currents over the frame; ba: fine eddies for trembling.
#include "common/noise.glsl"

in vec2 v_uv;
out vec4 colour;

uniform float u_time;
uniform int u_seed;
uniform float u_aspect;

vec2 curl(vec2 p, float t, int octaves) {
    const float e = 0.02;
    float n1 = fbm(vec3(p + vec2(0.0, e), t), octaves);
    float n2 = fbm(vec3(p - vec2(0.0, e), t), octaves);
    float n3 = fbm(vec3(p + vec2(e, 0.0), t), octaves);
    float n4 = fbm(vec3(p - vec2(e, 0.0), t), octaves);
    return vec2(n1 - n2, n4 - n3) / (2.0 * e);
}

void main() {
    vec2 p = (v_uv * 2.0 - 1.0) * vec2(u_aspect, 1.0);
    float offset = float(u_seed % 1000) * 1.618;
    vec2 broad = curl(p * 1.3 + offset, u_time * 0.12, 3);
    vec2 fine = curl(p * 6.0 - offset, u_time * 0.6, 2);
    colour = vec4(broad, fine);
}
