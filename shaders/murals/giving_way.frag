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

// How much of the murals gives way here (red): all of it on and between a face's strokes (hush), and
// out to about one and a half face-widths (room) a long, soft falloff with no rim: four nested pools,
// each wider than the last, averaged, so the murals fade in over a wide distance instead of stopping at
// the edge of one black oval (curators: "a hard black oval round each face"); the average eased out
// (1 - (1 - w)^3), so the room stays dim, about a third of its light, out to some 1.2 face-widths and
// comes back by two: its plain average kept half the light there or more, and the marbled grounds of
// malfunction and resonance crowded the face. The second (green): how much of the room's ground
// (compose.frag) gives way: as widely, and nearer the strokes a darker hush that holds the face; the
// ground gave way only there, and it is most of the room's light (malfunction's: four fifths).
void main() {
    float near = smoothstep(0.0, 0.25, presence(20.0, 1.2, 2.6));
    float wide = (within(10.0, 0.2) + within(6.0, 0.1) + within(4.2, 0.04) + within(3.0, 0.04)) / 4.0;
    wide = u_room * (1.0 - pow(1.0 - wide, 3.0));
    float held = (within(12.0, 0.2) + within(8.0, 0.1) + within(5.5, 0.04)) / 3.0;
    colour = vec4(u_hush * max(near, wide), u_hush * max(held, wide), 0.0, 1.0);
}
