// Integer hashing for noise and sparkles: pcg3d from Jarzynski & Olano,
// "Hash Functions for GPU Rendering" (JCGT 2020). Bit-exact on every driver,
// which keeps seeded renders identical.
uvec3 pcg3d(uvec3 v) {
    v = v * 1664525u + 1013904223u;
    v.x += v.y * v.z;
    v.y += v.z * v.x;
    v.z += v.x * v.y;
    v ^= v >> 16u;
    v.x += v.y * v.z;
    v.y += v.z * v.x;
    v.z += v.x * v.y;
    return v;
}

// Three uniform values in [0, 1) for an integer lattice cell.
vec3 hash33(ivec3 cell) {
    return vec3(pcg3d(uvec3(cell))) * (1.0 / 4294967296.0);
}
