#version 430
// The swarm's colour, where its light is: each quarter-size pixel's light as a vector round the
// wheel of hues (hue as the angle, its share of coverage times saturation as the length) and its
// coverage, mipmapped by the stack so that room_hue.frag reads a face's mean hue with one tap
// (a circular mean: opposite hues cancel rather than averaging to a third hue).
#include "common/colour.glsl"

in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_light;
uniform vec2 u_texel;  // one pixel of the light, in uv

void main() {
    vec3 light = vec3(0.0);
    for (int i = 0; i < 4; ++i) {  // four bilinear taps: the 4x4 light pixels under this pixel
        light += max(texture(u_light, v_uv + (vec2(i & 1, i >> 1) - 0.5) * 2.0 * u_texel).rgb, 0.0) * 0.25;
    }
    vec3 hsv = rgb_to_hsv(light);
    float coverage = smoothstep(0.08, 0.4, luminance(light));  // strokes, the same however bright; not the faint dust and streams (palette-coloured)
    float a = 6.2831853 * hsv.x;
    colour = vec4(coverage * hsv.y * vec2(cos(a), sin(a)), coverage, 1.0);
}
