// A bot's own point on a glyph (retarget.comp aims it there; the splat finds it again on the face the swarm
// left): a target sample, stratified over the ink in stroke order, then a random offset inside the stroke's
// width, so no two bots share a point and the swarm fills the stroke instead of clumping on its centre line.
// Most bots gather in knots on every eighth target, so a formed stroke reads as a stipple of points of light
// (each a knot of bots) over a fine dust of the rest across the stroke; a shade's targets (a negative spread,
// glyphs/strokes.py) knot in pairs, so its stipple is four times as many points, each a quarter as bright: a tone
// between the lines, not a scatter of a few line-bright beads. Needs samples[] (SAMPLES_BINDING).

// Bot i's point on the glyph at `place` (centre xy, scale; frame units), `along` (0..1) its place over the
// glyph's `count` target samples from `base`; `stroke` is where that is along the glyph's strokes.
vec2 aimed_point(uint i, float along, uint base, uint count, vec3 place, int seed, out float stroke) {
    vec3 h = hash33(ivec3(int(i), seed, 3));
    uint k = min(uint(along * float(count)), count - 1u);
    bool knot = h.z < 0.85;
    if (knot) k &= samples[base + k].z < 0.0 ? ~1u : ~7u;
    vec4 s = samples[base + k];
    float angle = 6.2831853 * h.y;
    stroke = s.w;
    return place.xy + place.z * (s.xy + abs(s.z) * (knot ? 0.1 : 1.0) * sqrt(h.x) * vec2(cos(angle), sin(angle)));
}
