// Which of a wall's faces a bot stays on (swarm.memory's residents), shared by retarget.comp (which aims it there), the
// step and the splat (which find it again), so the three agree. The roster is every visited face in glyph order, the one
// being formed too. A bot's group (a bead's bots, split in HOME_GROUPS by their own die) throws one die for whether it
// stays (u_residents: the share of the swarm that does, spread evenly over the roster, so the face being formed keeps
// the rest, swarm.py's resident_share) and, by jump consistent hashing (Lamping & Veach, "A Fast, Minimal Memory,
// Consistent Hash Algorithm", 2014), which face: when a face joins, a group stays where it was or moves to the newcomer,
// one in n of each face's, and the faces that stay keep the rest where they are. A share drawn afresh over the roster
// re-dealt the faces' bots at every join, which flew across the wall as fog. The bot's point on its face is the one it
// had on it as the face being formed (retarget.comp), so a face that joins the roster keeps its light where it was.
#include "common/hash.glsl"
#include "swarm/way.glsl"

layout(std430, binding = ROSTER_BINDING) readonly buffer Roster { vec4 roster[]; };  // place xy, scale, first sample
uniform uint u_roster_size;  // visited glyphs, the one being formed included (swarm.py's _aim)

const uint HOME_GROUPS = 16u;  // groups to a bead: each a few bots that stay or leave as one dot, and a face that thins
                               // keeps a part of every bead, no gaps
const int MOST_FACES = 64;     // a roster's most faces (the scars' six bits of glyph: fault.glsl)

// The roster entry bot i (of `count`, over a glyph's `samples` targets) stays on, or -1: the face being formed, whose
// first target sample is `current`.
int home_of(uint i, uint count, uint samples, float residents, int seed, uint current) {
    if (residents <= 0.0 || u_roster_size == 0u) return -1;
    int group = int(bead_of(i, count, samples) * HOME_GROUPS + uint(hash33(ivec3(int(i), seed, 4)).y * float(HOME_GROUPS)));
    if (hash33(ivec3(group, seed, 10)).x >= residents) return -1;
    uint slot = 0u;  // from each face it is on, the next it jumps to is (slot + 1) / r, r its die there: it stays while that is
    for (int n = 0; n < MOST_FACES; n++) {  // past the roster
        float next = floor(float(slot + 1u) / (1.0 - hash33(ivec3(group, seed, 100 + int(slot))).x));
        if (next >= float(u_roster_size)) break;
        slot = uint(next);
    }
    return uint(roster[slot].w) == current ? -1 : int(slot);
}
