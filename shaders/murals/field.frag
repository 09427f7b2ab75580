#version 430
// The first scene: a slowly breathing field of bioluminescence.
// Domain-warped fractal noise (Quilez, "Domain Warping", 2002) makes drifting
// currents; thin ridges of a second warped field glow as plankton veins; hashed
// specks twinkle like single cells. Light goes above 1.0 where it should bloom.
#include "common/noise.glsl"
#include "common/colour.glsl"

in vec2 v_uv;
out vec4 out_colour;

uniform vec2 u_resolution;
uniform float u_time;
uniform int u_seed;
uniform float u_speed;
uniform float u_scale;
uniform float u_warp;
uniform float u_breath_rate;
uniform float u_breath_depth;
uniform float u_brightness;
uniform float u_veins;
uniform float u_sparkle;
uniform vec3 u_deep;
uniform vec3 u_mid;
uniform vec3 u_glow;
uniform vec3 u_accent;

// A breath: slow swell, longer rest, 0..1.
float breath(float t) {
    float swell = 0.5 - 0.5 * cos(6.2831853 * fract(t * u_breath_rate));
    return pow(swell, 1.6);
}

vec3 sparkles(vec2 p, float t, vec3 glow) {
    vec2 drifted = p * 7.0 + vec2(0.15 * sin(0.3 * t), 0.35 * t);
    ivec2 cell = ivec2(floor(drifted));
    vec3 h = hash33(ivec3(cell, u_seed * 7 + 911));
    if (h.z > u_sparkle) {
        return vec3(0.0);
    }
    vec2 centre = 0.2 + 0.6 * h.xy;
    vec2 d = fract(drifted) - centre;
    float twinkle = 0.5 + 0.5 * sin(u_time * (0.7 + 2.3 * h.x) + 6.2831853 * h.y);
    float r2 = dot(d, d);
    return glow * (3.0 * twinkle * twinkle * twinkle) * (exp(-r2 * 900.0) * 6.0 + exp(-r2 * 90.0) * 0.25);
}

void main() {
    vec2 p = (gl_FragCoord.xy - 0.5 * u_resolution) / u_resolution.y * u_scale;
    vec3 origin = hash33(ivec3(u_seed, 17, 3)) * 200.0;  // each seed is another stretch of sea
    float t = u_time * u_speed;
    float b = breath(u_time);
    vec3 s = vec3(p, t) + origin;

    vec2 q = vec2(fbm(s, 3), fbm(s + vec3(5.2, 1.3, 2.8), 3));
    vec2 r = vec2(fbm(s + vec3(u_warp * q + vec2(1.7, 9.2), 0.15 * t), 3),
                  fbm(s + vec3(u_warp * q + vec2(8.3, 2.8), 0.13 * t), 3));
    float f = fbm(s + vec3(u_warp * r, 0.0), 5);
    float density = clamp(0.5 + 1.1 * f, 0.0, 1.0);

    float ridge = 1.0 - abs(fbm(s * 1.6 + vec3(u_warp * 0.8 * r, 0.2 * t), 3) * 2.2);
    float veins = pow(clamp(ridge, 0.0, 1.0), 18.0) * smoothstep(0.25, 0.75, density + 0.35 * length(r));

    vec3 deep = srgb_to_linear(u_deep);
    vec3 mid = srgb_to_linear(u_mid);
    // The glow drifts towards the accent colour along some currents, never all of them.
    float tint = smoothstep(-0.05, 0.3, fbm(vec3(p * 1.3, 0.05 * t) + origin.zxy, 2));
    vec3 glow = mix(srgb_to_linear(u_glow), srgb_to_linear(u_accent), tint);

    float body = density * density * density;
    vec3 light = mix(deep, mix(mid, glow * 0.3, 0.35 * tint), smoothstep(0.3, 1.0, density)) * (0.2 + 1.4 * body);
    light += glow * veins * u_veins * (0.5 + 1.0 * b);
    light += sparkles(p, u_time, mix(glow, vec3(1.0), 0.5)) * (0.6 + 0.8 * b);
    light *= u_brightness * mix(1.0 - u_breath_depth, 1.0, b);
    out_colour = vec4(light, 1.0);
}
