#version 430
// Where the swarm's light is: its luminance as coverage, 1 - exp(-k L), saturating so that a
// stroke counts the same however bright it burns. Written at a quarter of the frame's size and
// mipmapped by the stack; compose.frag reads coarse levels of it as a soft, wide blur
// (a mip pyramid as a cheap box-filter blur, Williams 1983) to hush the murals around faces.
#include "common/colour.glsl"

in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_light;
uniform vec2 u_texel;  // one pixel of the light, in uv

void main() {
    // four bilinear taps: the mean of the 4x4 light pixels under this quarter-size pixel
    float lum = 0.0;
    for (int i = 0; i < 4; ++i) {
        vec2 offset = (vec2(i & 1, i >> 1) - 0.5) * 2.0 * u_texel;
        lum += luminance(max(texture(u_light, v_uv + offset).rgb, 0.0));
    }
    colour = vec4(vec3(1.0 - exp(-6.0 * lum * 0.25)), 1.0);
}
