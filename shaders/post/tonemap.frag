#version 430
// HDR to display: exposure, bloom, a filmic curve, saturation, vignette, sRGB
// encoding and dithering. Curves: ACES fit by Narkowicz (2015); Reinhard on
// luminance (2002); Hable's "Uncharted 2" filmic curve (2010).
#include "common/colour.glsl"
#include "common/hash.glsl"

in vec2 v_uv;
out vec4 out_colour;

uniform sampler2D u_hdr;
uniform sampler2D u_bloom;
uniform float u_exposure;
uniform bool u_transparent;
uniform int u_operator;
uniform float u_saturation;
uniform float u_vignette;
uniform bool u_dither;
uniform int u_frame;

vec3 reinhard(vec3 x) {
    float l = luminance(x);
    return x / (1.0 + l);
}

vec3 hable_curve(vec3 x) {
    const float A = 0.15, B = 0.50, C = 0.10, D = 0.20, E = 0.02, F = 0.30;
    return ((x * (A * x + C * B) + D * E) / (x * (A * x + B) + D * F)) - E / F;
}

vec3 hable(vec3 x) {
    return hable_curve(2.0 * x) / hable_curve(vec3(11.2));
}

void main() {
    vec3 light = texture(u_hdr, v_uv).rgb + texture(u_bloom, v_uv).rgb;
    light *= exp2(u_exposure);
    vec2 centred = v_uv - 0.5;
    light *= 1.0 - u_vignette * smoothstep(0.2, 0.85, dot(centred, centred) * 2.0);

    vec3 mapped = u_operator == 0 ? aces(light) : (u_operator == 1 ? reinhard(light) : hable(light));
    mapped = max(mix(vec3(luminance(mapped)), mapped, u_saturation), 0.0);
    vec3 display = linear_to_srgb(mapped);

    if (u_dither) {
        // Triangular dither of one 8-bit step hides banding in dark gradients;
        // it fades out towards black so a black frame stays black on the projector.
        vec3 h = hash33(ivec3(gl_FragCoord.xy, u_frame));
        vec3 triangle = (h - hash33(ivec3(gl_FragCoord.xy, u_frame + 7919)).zxy) / 255.0;
        display += triangle * smoothstep(0.0, 2.0 / 255.0, display);
    }
    display = clamp(display, 0.0, 1.0);
    if (u_transparent) {
        // light over an empty background: its coverage is its brightness, so the frame lays
        // over other footage in an editor as the light would (straight alpha)
        float alpha = max(max(display.r, display.g), display.b);
        out_colour = vec4(alpha > 0.0 ? display / alpha : vec3(0.0), alpha);
    } else {
        out_colour = vec4(display, 1.0);
    }
}
