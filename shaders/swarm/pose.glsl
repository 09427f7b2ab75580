// Where a face's pose moves a bot's target: the glyph's pose offsets (glyphs/atlas.py,
// std430 vec2 poses[], (first sample + k) * 3 + pose) weighted by blink, laugh and tender,
// at the glyph's scale. Only the glyph being formed lives; residents on a wall's other
// glyphs (`elsewhere`: swarm/home.glsl) keep still.
layout(std430, binding = POSES_BINDING) readonly buffer Poses { vec2 poses[]; };

vec2 pose_offset(vec3 weights, uint first, float scale, uint i, uint count, uint samples, bool elsewhere) {
    if (weights == vec3(0.0) || elsewhere) return vec2(0.0);
    uint k = min(uint(float(i) / float(count) * float(samples)), samples - 1u);  // retarget.comp's sample
    uint at = (first + k) * 3u;
    return scale * (weights.x * poses[at] + weights.y * poses[at + 1u] + weights.z * poses[at + 2u]);
}
