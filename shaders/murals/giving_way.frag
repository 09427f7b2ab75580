#version 430
// How much of the murals' light gives way round the faces, at the presence's quarter size: it
// is a wide, soft blur of where the swarm's light is, so compose.frag reads it with one bilinear
// tap instead of the hundred mip taps that make it (a full-frame pass's worth, saved at a sixteenth).

in vec2 v_uv;
out vec4 colour;

uniform sampler2D u_presence;  // where the swarm's light is (presence.frag), mipmapped
uniform float u_hush;      // how much of the murals' light goes where the faces are
uniform float u_room;      // how much of the murals' light goes out to about 1.5 face-widths round them

// The swarm's presence blurred wide and round: a coarse mip level (a mip pyramid as a cheap
// box filter, Williams 1983) read through two rings of taps, so the murals dim in a soft, round
// pool, not in the mip's squares. `rows`: how many texels of that level span the frame's height.
float presence(float rows, float inner, float outer) {
    float level = log2(max(float(textureSize(u_presence, 0).y) / rows, 1.0));
    vec2 texel = exp2(level) / vec2(textureSize(u_presence, 0));
    float sum = 0.0;
    for (int k = 0; k < 12; k++) {
        float a = 6.2831853 * (float(k) + 0.5 * float(k & 1)) / 12.0;
        float reach = (k & 1) == 0 ? inner : outer;
        sum += textureLod(u_presence, v_uv + reach * texel * vec2(cos(a), sin(a)), level).r;
    }
    return (sum + 4.0 * textureLod(u_presence, v_uv, level).r) / 16.0;
}

// How much of a face's presence is within a pool of `rows`' size, eased in over `full` of coverage:
// a low `full` holds all of a pool however thin a face's strokes, a higher one lets its edge fade softly.
float within(float rows, float full) {
    return smoothstep(0.0, full, presence(rows, 1.2, 2.4));
}

// How much of the murals gives way here (red): most of it just round a face's strokes (hush, a thin
// darker line that keeps them legible), and over the face and out to about two face-widths (room) a soft
// vignette with no rim: five nested pools, each wider than the last, plainly averaged, so the room dims
// gently toward the face, keeping about a third of its light within it, half at a face-width from its
// centre, four fifths by one and a half. Curators asked twice: a hard black oval round each face, then,
// with the rooms lit brighter, the pool kept dark out to 1.2 face-widths (a tenth of the light within the
// face) read as a black hole behind it (resonance worst); the face stays by far the brightest thing
// (murals.ceiling). The second (green): how much of the room's ground (compose.frag) gives way: as widely,
// and nearer the strokes a little darker, holding the face; the ground is most of the room's light
// (malfunction's: four fifths).
void main() {
    float near = 0.85 * smoothstep(0.0, 0.25, presence(40.0, 1.2, 2.6));
    float pools = (within(10.0, 0.2) + within(6.0, 0.1) + within(4.2, 0.04) + within(3.0, 0.04) + within(2.0, 0.04)) / 5.0;
    float wide = u_room * pools;
    float held = 0.75 * (within(12.0, 0.2) + within(8.0, 0.1) + within(5.5, 0.04)) / 3.0;
    colour = vec4(u_hush * max(near, wide), u_hush * max(held, wide), 0.0, 1.0);
}
