#version 430
// Screen faults that compose in one pass, each skipped at zero so that no fault at all
// is the identity, bit for bit. In order: blocks of the image jump to other places
// (block displacement), bands of rows slide sideways (scanline tear), the image
// coarsens into cells and few colour levels (bit-crush), red and blue part to either
// side (RGB split), and static crawls over it. All of it only near the faces (near.glsl):
// the malfunction is the swarm's, not the screen's, and it never erases a face.
#include "common/hash.glsl"
#include "common/colour.glsl"
#include "glitch/near.glsl"

out vec4 colour;

uniform sampler2D u_image;  // the light to break (pixel-sorted, when sorting)
uniform sampler2D u_clean;  // the light before any screen fault: what shows away from the faces
uniform float u_split;
uniform float u_blocks;
uniform float u_tear;
uniform float u_crush;
uniform float u_static;
uniform int u_seed;
uniform int u_frame;

// Block size in pixels for the blocks fault: 8, 16 or 32 at 540 lines (in proportion at
// other heights, never under 8), chosen per fault: small beside a face, so it stays a face.
int block_size(int height) { return (8 << (u_seed % 3)) * max(height / 540, 1); }

ivec2 wrap(ivec2 p, ivec2 size) { return ((p % size) + size) % size; }

// How far the RGB split parts red and blue, in pixels (also used by the tests).
int split_pixels(ivec2 size) { return int(round(u_split * float(size.x) * 0.012)); }

void main() {
    ivec2 size = textureSize(u_image, 0);
    ivec2 p = ivec2(gl_FragCoord.xy);
    float here_near = near((vec2(p) + 0.5) / vec2(size));
    vec4 clean = texelFetch(u_clean, p, 0);
    if (here_near == 0.0) {
        colour = clean;
        return;
    }
    ivec2 src = p;
    if (u_blocks > 0.0) {
        int b = block_size(size.y);
        vec3 h = hash33(ivec3(src / b, u_seed));
        if (h.x < u_blocks * 0.4 && near((vec2(src / b * b + b / 2)) / vec2(size)) > 0.5) {
            ivec2 jump = ivec2(round((h.yz * 2.0 - 1.0) * 2.0));
            src += jump * b;  // whole blocks, a block or two away, so the displaced block stays intact
        }
    }
    if (u_tear > 0.0) {
        int band_height = 3 + (u_seed % 5) * 4;
        vec3 h = hash33(ivec3(src.y / band_height, u_seed, 7));
        if (h.x < u_tear * 0.5 && here_near > 0.5) {
            src.x += int((h.y * 2.0 - 1.0) * u_tear * float(size.x) * 0.04);
        }
    }
    if (u_crush > 0.0 && here_near > 0.5) {
        int cell = 1 + int(u_crush * float(size.y) / 180.0 * 2.0);  // a few pixels: coarse, still legible
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
        float levels = mix(48.0, 8.0, u_crush);
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
    colour = vec4(here_near < 1.0 && c != clean.rgb ? mix(clean.rgb, c, here_near) : c, here.a);
}
