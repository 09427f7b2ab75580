// Gradient noise and fractal sums for organic motion.
// Lattice gradient noise after Perlin, "Improving Noise" (SIGGRAPH 2002):
// quintic fade, random gradients from an integer hash.
#include "common/hash.glsl"

float gradient_noise(vec3 p) {
    ivec3 i = ivec3(floor(p));
    vec3 f = fract(p);
    vec3 fade = f * f * f * (f * (f * 6.0 - 15.0) + 10.0);
    float corners[8];
    for (int c = 0; c < 8; ++c) {
        ivec3 offset = ivec3(c & 1, (c >> 1) & 1, (c >> 2) & 1);
        vec3 gradient = hash33(i + offset) * 2.0 - 1.0;
        corners[c] = dot(gradient, f - vec3(offset));
    }
    float x0 = mix(corners[0], corners[1], fade.x);
    float x1 = mix(corners[2], corners[3], fade.x);
    float x2 = mix(corners[4], corners[5], fade.x);
    float x3 = mix(corners[6], corners[7], fade.x);
    return mix(mix(x0, x1, fade.y), mix(x2, x3, fade.y), fade.z) * 1.6;
}

// Fractal Brownian motion: octaves of noise (eight at most), each rotated so their grids never line up.
// The loop counts to a number, so that an ISF mural's loop guard leaves it to the compiler to unroll.
float fbm(vec3 p, int octaves) {
    const mat3 turn = mat3(0.00, 0.80, 0.60, -0.80, 0.36, -0.48, -0.60, -0.48, 0.64);
    float sum = 0.0;
    float amplitude = 0.5;
    for (int o = 0; o < 8; ++o) {
        if (o >= octaves) break;
        sum += amplitude * gradient_noise(p);
        p = turn * p * 2.03;
        amplitude *= 0.5;
    }
    return sum;
}
