#version 430
// Bloom, downsample step: the 13-tap filter of Jimenez, "Next Generation Post
// Processing in Call of Duty: Advanced Warfare" (SIGGRAPH 2014). On the first
// step it also applies the soft-knee threshold and weights each 4-tap group by
// 1/(1+luma) (Karis average) so single bright pixels do not flicker.
#include "common/colour.glsl"

in vec2 v_uv;
out vec4 out_colour;

uniform sampler2D u_source;
uniform bool u_first;
uniform float u_spread;  // source pixels per tap offset: 2 where the first level is skipped (a step of four to one)
uniform float u_threshold;
uniform float u_knee;

vec3 tap(vec2 offset) {
    return textureLod(u_source, v_uv + offset * u_spread / vec2(textureSize(u_source, 0)), 0.0).rgb;
}

vec3 mean4(vec3 a, vec3 b, vec3 c, vec3 d) {
    return (a + b + c + d) * 0.25;
}

vec3 soft_threshold(vec3 c) {
    float bright = max(c.r, max(c.g, c.b));
    float knee = u_threshold * u_knee + 1e-5;
    float soft = clamp(bright - u_threshold + knee, 0.0, 2.0 * knee);
    soft = soft * soft / (4.0 * knee);
    return c * max(soft, bright - u_threshold) / max(bright, 1e-5);
}

void main() {
    vec3 a = tap(vec2(-2, 2)), b = tap(vec2(0, 2)), c = tap(vec2(2, 2));
    vec3 d = tap(vec2(-2, 0)), e = tap(vec2(0, 0)), f = tap(vec2(2, 0));
    vec3 g = tap(vec2(-2, -2)), h = tap(vec2(0, -2)), i = tap(vec2(2, -2));
    vec3 j = tap(vec2(-1, 1)), k = tap(vec2(1, 1)), l = tap(vec2(-1, -1)), m = tap(vec2(1, -1));
    vec3 groups[5] = vec3[5](mean4(j, k, l, m), mean4(a, b, d, e), mean4(b, c, e, f), mean4(d, e, g, h), mean4(e, f, h, i));
    const float share[5] = float[5](0.5, 0.125, 0.125, 0.125, 0.125);
    vec3 sum = vec3(0.0);
    float total = 0.0;
    for (int n = 0; n < 5; ++n) {
        float weight = share[n] * (u_first ? 1.0 / (1.0 + luminance(groups[n])) : 1.0);
        sum += weight * groups[n];
        total += weight;
    }
    sum /= total;
    out_colour = vec4(u_first ? soft_threshold(sum) : sum, 1.0);
}
