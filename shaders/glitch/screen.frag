#version 430
// Screen faults that compose in one pass, each skipped at zero so that no fault at all
// is the identity, bit for bit. In order: blocks of the image jump to other places
// (block displacement), bands of rows slide sideways (scanline tear), the image
// coarsens into cells and few colour levels (bit-crush), red and blue part to either
// side (RGB split), and static crawls over it.
#include "common/hash.glsl"
#include "common/colour.glsl"

out vec4 colour;

uniform sampler2D u_image;
uniform float u_split;
uniform float u_blocks;
uniform float u_tear;
uniform float u_crush;
uniform float u_static;
uniform int u_seed;
uniform int u_frame;

// Block size in pixels for the blocks fault: 16, 32 or 64, chosen per fault.
int block_size() { return 16 << (u_seed % 3); }

ivec2 wrap(ivec2 p, ivec2 size) { return ((p % size) + size) % size; }

// How far the RGB split parts red and blue, in pixels (also used by the tests).
int split_pixels(ivec2 size) { return int(round(u_split * float(size.x) * 0.012)); }

void main() {
    ivec2 size = textureSize(u_image, 0);
    ivec2 p = ivec2(gl_FragCoord.xy);
    ivec2 src = p;
    if (u_blocks > 0.0) {
        int b = block_size();
        vec3 h = hash33(ivec3(src / b, u_seed));
        if (h.x < u_blocks * 0.6) {
            ivec2 jump = ivec2(round((h.yz * 2.0 - 1.0) * 6.0));
            src += jump * b;  // whole blocks, so the displaced block stays intact
        }
    }
    if (u_tear > 0.0) {
        int band_height = 3 + (u_seed % 5) * 4;
        vec3 h = hash33(ivec3(src.y / band_height, u_seed, 7));
        if (h.x < u_tear * 0.5) {
            src.x += int((h.y * 2.0 - 1.0) * u_tear * float(size.x) * 0.25);
        }
    }
    if (u_crush > 0.0) {
        int cell = 1 + int(u_crush * 11.0);
        src = (src / cell) * cell;
    }
    src = wrap(src, size);

    vec4 here = texelFetch(u_image, src, 0);
    vec3 c = here.rgb;
    if (u_split > 0.0) {
        int shift = split_pixels(size);
        c.r = texelFetch(u_image, wrap(src + ivec2(shift, 0), size), 0).r;
        c.b = texelFetch(u_image, wrap(src - ivec2(shift, 0), size), 0).b;
    }
    if (u_crush > 0.0) {
        float levels = mix(48.0, 3.0, u_crush);
        vec3 m = c / (1.0 + c);  // quantise the compressed light, so highlights keep a few steps too
        m = floor(m * levels + 0.5) / levels;
        c = m / max(1.0 - m, 1e-3);
    }
    if (u_static > 0.0) {
        // interference, not a white frame: torn lines slip sideways and lose their colour,
        // and grain crawls over the picture around its own light, so its brightness holds
        vec3 n = hash33(ivec3(p, u_frame));
        vec3 line = hash33(ivec3(p.y / 2, u_frame, 5));
        if (line.x > 1.0 - u_static * 0.35) {
            int slip = int((line.y - 0.5) * 48.0 * u_static);
            c = texelFetch(u_image, wrap(src + ivec2(slip, 0), size), 0).rgb;
            c = mix(c, vec3(luminance(c)), 0.7);
        }
        float grain = (n.x - 0.5) * 2.0 * u_static;
        c = max(c * (1.0 + 0.8 * grain) + (n.y - 0.5) * 0.12 * u_static * vec3(0.8, 0.9, 1.0), 0.0);
    }
    colour = vec4(c, here.a);
}
