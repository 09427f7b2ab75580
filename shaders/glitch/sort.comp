#version 430
// Pixel sorting by luminance, after Kim Asendorf's "ASDFPixelSort" (2010): in chosen
// rows, runs of pixels brighter than a threshold are sorted dark to bright; the rest
// stay. One workgroup sorts one 1024-pixel stretch of a row in shared memory: a
// max-scan finds where each bright run starts, then a bitonic sort (Batcher 1968) on
// keys start + luminance sorts within runs and leaves every other pixel in place.
layout(local_size_x = 512) in;
#include "common/hash.glsl"
#include "common/colour.glsl"

layout(rgba16f, binding = 0) writeonly uniform image2D u_out;
uniform sampler2D u_image;
uniform float u_sort;
uniform int u_seed;

const uint SPAN = 1024u;
shared float keys[SPAN];
shared uint order[SPAN];
shared int starts[SPAN];

float brightness(ivec2 p, ivec2 size) {
    if (p.x >= size.x) return -1.0;
    float l = luminance(texelFetch(u_image, p, 0).rgb);
    return l / (1.0 + l);
}

void main() {
    ivec2 size = textureSize(u_image, 0);
    int row = int(gl_WorkGroupID.y);
    int base = int(gl_WorkGroupID.x * SPAN);
    uint t = gl_LocalInvocationID.x;
    bool sorting = hash33(ivec3(row / 3, u_seed, 41)).x < u_sort;
    if (!sorting) {
        for (uint k = t; k < SPAN; k += 512u) {
            ivec2 p = ivec2(base + int(k), row);
            if (p.x < size.x) imageStore(u_out, p, texelFetch(u_image, p, 0));
        }
        return;
    }
    float threshold = mix(0.6, 0.08, u_sort);
    for (uint k = t; k < SPAN; k += 512u) {
        float m = brightness(ivec2(base + int(k), row), size);
        bool bright = m > threshold;
        bool continues = k > 0u && bright && brightness(ivec2(base + int(k) - 1, row), size) > threshold;
        starts[k] = continues ? -1 : int(k);
        keys[k] = bright ? clamp(m, 0.0, 0.999) : -1.0;  // the fraction, for now; -1: not in a run
        order[k] = k;
    }
    barrier();
    for (uint step = 1u; step < SPAN; step <<= 1) {  // Hillis-Steele inclusive max-scan
        int a = starts[t], b = starts[t + 512u];
        int a_left = t >= step ? starts[t - step] : -1;
        int b_left = t + 512u >= step ? starts[t + 512u - step] : -1;
        barrier();
        starts[t] = max(a, a_left);
        starts[t + 512u] = max(b, b_left);
        barrier();
    }
    for (uint k = t; k < SPAN; k += 512u) {
        keys[k] = keys[k] < 0.0 ? float(k) : float(starts[k]) + keys[k];
    }
    barrier();
    for (uint size2 = 2u; size2 <= SPAN; size2 <<= 1) {
        for (uint stride = size2 >> 1; stride > 0u; stride >>= 1) {
            uint lo = 2u * stride * (t / stride) + (t % stride);
            uint hi = lo + stride;
            bool ascending = (lo & size2) == 0u;
            if ((keys[lo] > keys[hi]) == ascending) {
                float key = keys[lo]; keys[lo] = keys[hi]; keys[hi] = key;
                uint index = order[lo]; order[lo] = order[hi]; order[hi] = index;
            }
            barrier();
        }
    }
    for (uint k = t; k < SPAN; k += 512u) {
        ivec2 p = ivec2(base + int(k), row);
        if (p.x < size.x) imageStore(u_out, p, texelFetch(u_image, ivec2(base + int(order[k]), row), 0));
    }
}
