// What the particle faults do to a bot in a step (swarm/step.glsl): each has a look of its own.
// A stall freezes a patch of the face where it is; a swap streams stretches of the face off to the
// wrong glyph (beside this one when both share a place: a bridge of bots between two faces);
// a cascade's failed bots fall with nothing steering them and pile up at the frame's bottom;
// a scatter throws stretches of the face out of it, and they fly back. A few of the bots a fault
// hurts badly are marked for good: a wound, which heals back into its stroke unseen until an
// embrace gilds it (kintsugi); then, healed, it leaves its stroke and fills the glyph's crack.
#include "swarm/fault.glsl"

layout(std430, binding = CRACK_BINDING) readonly buffer Crack { vec4 crack[]; };  // glyphs/crack.py: point, step to the next

uniform uint u_sample_count;
uniform uint u_wrong_base;      // the wrong glyph's first target sample
uniform vec3 u_wrong_place;     // and where it sits
uniform uint u_crack_base;      // this glyph's first crack point
uniform float u_seam_front;     // how far along its crack this glyph's seam is drawn in, 0..1 (swarm.py SEAM_DRAWN)

const float FALL = 5.0;         // how a failed bot falls, with nothing steering it: a spark, not a drift
const float THROW = 7.0;        // how hard a scatter throws its stretches out of the face (frame units/s²)
const float THROWN_REACH = 1.8; // and how far, in the glyph's scale, before they coast (a ray's own: a third of it to all)
const float TUMBLING = 0.2;     // share of a thrown stretch's bots that tumble, looping as they fly
const uint GRAIN = 16u;         // bots to one grain of it: bright embers, not a haze
const float SPILLING = 0.15;    // the share of the fallen that spill past it onto the floor,
const float SPILLED = 1.8;      // as far out as this, in the glyph's scale,
const float SLIDE = 0.5;        // and how fast a grain slides to its place (frame units/s)
const uint CRACK_POINTS = 256u;  // a glyph's points on its crack: glyphs/crack.py
const float CRACKED = 0.24;      // share of the badly hurt marked for good (never eyes or mouth): a tenth of the face, as a
                                 // cascade hurts a third of it (it was 0.12 of a cascade through all of it)
const float HAIR = 0.006;        // how far a crack's bot strays from its line, frame units: a seam about 2 px across at 270 lines, 4 at
                                 // 540, the piece's signature: at 0.012 (4 px) its jags were lost in a soft tube, which read as a
                                 // curl or a "3" (curators); at 0.0025, with a third of its light, it was lost among the embers
const float HALO = 0.018;        // and how far the few that make its soft glow of its own stray
const float HALO_SHARE = 0.15;
const float SEAT = 0.006;        // how near its point on the crack a gilded bot must come to be seated: under a pixel at 270 lines

// Where the wrong glyph is drawn: its own place, or, when it would overlap this glyph (the
// centre layout's next face), beside it at GHOST of the face's size, so the swapped bots stream across as a bridge
// and settle into a ghost of another face beside this one.
const float GHOST = 0.7;
vec3 wrong_place(vec2 centre, float aspect) {
    vec3 place = u_wrong_place;
    if (distance(place.xy, centre) > 1.6 * max(place.z, u_place.z)) return place;
    float side = centre.x > 0.0 ? -1.0 : 1.0;
    return vec3(centre.x + side * min(1.1, aspect - 0.4), centre.y + 0.15, place.z * GHOST);
}

// A swapped bot's target on the wrong glyph, its point there as a bot of that face would have it (aim.glsl: most in
// its beads, on every eighth target), so the ghost is drawn in beads like a face. Each swapped stretch splits into
// GHOST_BEADS beads of bots, which draw points of the wrong face spread evenly over all of it (from where its die puts
// the first), so together the swapped draw the whole other face in beads, fuller the more a swap takes, and stream to
// it as beads. A stretch drew a piece of its strokes instead, and the pieces, at random places, met in squares (stretches
// are patches of the face: glyph.py's space_order) twice or three times as bright as their neighbours, or left squares
// out: the ghost read as blocks. The swapped are shaken, yet lit.
const float GHOST_BEADS = 8.0;
vec2 swapped_target(uint i, float along, vec2 centre, float aspect, int seed, inout float health, float dt) {
    float stretch = floor(along * STRETCHES);
    float bead = floor(fract(along * STRETCHES) * GHOST_BEADS);
    float at = fract(hash33(ivec3(int(stretch), 62, 1)).x + bead / GHOST_BEADS);
    health = max(health - max(dt * 0.6, 1.0 / 255.0), min(health, 0.72));  // it draws the wrong face; nothing broke, so no scar
    float stroke;
    return aimed_point(i, at, u_wrong_base, u_sample_count, wrong_place(centre, aspect), seed, stroke);
}

// A scatter's throw: a thrown stretch of the face flies out along a ray of its own, turned off the
// straight way out by up to 50 degrees either way (so the rays do not meet in one point: no zoom blur),
// bending as it goes, out to a reach of its own; a few of its bots tumble, looping as they fly. When
// its stretch is let go it flies back, unhurt: a scatter throws the face apart, it does not dim it.
// Returns the throw's push; turns the bot's velocity (exactly, so a tight loop keeps its speed).
vec2 throw_out(vec2 pos, inout vec2 vel, vec2 centre, vec3 h, float along, float dt) {
    vec3 ray = hash33(ivec3(int(along * STRETCHES), 64, 1));
    float bend = (ray.z - 0.5) * 3.0 + (h.x < TUMBLING ? sign(h.y - 0.5) * 14.0 : 0.0);  // radians a second the path turns
    vel = mat2(cos(bend * dt), sin(bend * dt), -sin(bend * dt), cos(bend * dt)) * vel;
    vec2 away = pos - centre + (h.xy - 0.5) * 0.2 * u_place.z;
    if (length(away) > THROWN_REACH * (0.35 + 0.9 * ray.x) * u_place.z) return vec2(0.0);
    float turn = (ray.y - 0.5) * 1.75;
    return mat2(cos(turn), sin(turn), -sin(turn), cos(turn)) * normalize(away + 1e-5) * THROW * (0.5 + h.z);
}

// A failed bot lands on the heap below the face: a mound, like sand or embers poured from above, highest
// under the face's centre and sloping down to a foot either side, so it narrows upwards. Its bots heap in
// grains of GRAIN (neighbours, who fail together), each grain a place of its own in it, drawn so the
// mound fills evenly (a triangular spread across, a depth down); a few spill past the foot onto the
// floor. A bot that lands slides along the mound to its grain's place at SLIDE, riding its surface.
void land(inout vec2 pos, inout vec2 vel, uint i, float dt) {
    vec3 d = hash33(ivec3(int(i / GRAIN), 65, 0));
    vec3 e = hash33(ivec3(int(i / GRAIN), 65, 1));
    if (pos.y >= heap_at(pos.x, d.z)) return;  // still falling
    float across = e.x < SPILLING ? sign(d.x - 0.5) * mix(1.0, SPILLED, d.y) : d.x + d.y - 1.0;
    float place = u_place.x + FOOT * u_place.z * across;
    pos.x += clamp(place - pos.x, -SLIDE * dt, SLIDE * dt);
    pos.y = heap_at(pos.x, d.z);
    vel = vec2(0.0);
}

// The glyph a bot lights: the one being formed, or a wall's resident's own (`home`, its roster entry: swarm/home.glsl).
uint glyph_on(int home) {
    return home < 0 ? u_crack_base / CRACK_POINTS : uint(roster[home].w) / u_sample_count;
}

// A bot's scar after this step (kintsugi): a wound if it was one, or is hurt badly now and its own die
// makes it one of the few (CRACKED) who will fill the crack (keeping the glyph it is hurt on: on a wall its
// `home` says which); gilded, for good, once an embrace finds it wounded on a face it
// shows (an embrace of the next face heals that face's wounds, not the last one's). A wound whose face has gone
// unhealed is let go (it healed unseen), so the bot may be wounded on the face it draws now.
float scarred(uint i, float health, float scar, int home) {
    uint byte = scar_byte(scar);
    if (byte >= WOUND && byte < UNMARKED && !at_home(scar)) byte = 255u;
    if (byte >= UNMARKED) {
        if (health >= 0.7 || hash33(ivec3(int(i), 66, 0)).x >= CRACKED) return scar_of(byte);
        byte = WOUND | (glyph_on(home) & 63u);
    }
    if (byte >= WOUND && u_fault_embrace > 0.0 && at_home(scar_of(byte))) byte = GILDED | (byte & 63u);
    return scar_of(byte);
}

// Where the crack a gilded bot fills sits, and its first point: that of the face it was hurt on, the
// one being formed or on a wall one of its faces (sealed() holds only while its face is shown).
void scar_home(float scar, bool wall, out vec3 place, out uint base) {
    uint g = scar_glyph(scar);
    place = u_place;
    base = u_crack_base;
    for (uint k = 0u; wall && k < u_roster_size; k++) {
        uint glyph = uint(roster[k].w) / u_sample_count;
        if ((glyph & 63u) == g) {
            place = roster[k].xyz;
            base = glyph * CRACK_POINTS;
            return;
        }
    }
}

// Whether the seam's front has reached a gilded bot's place on its crack (crack_target's die): the seam is drawn in along
// the break from its first point, the bots behind the front seated as it passes; another face's seam is drawn already.
bool drawn(uint i, float scar) {
    return scar_glyph(scar) != (glyph_on(-1) & 63u) || hash33(ivec3(int(i), 67, 0)).x < u_seam_front;
}

// A marked bot's place on a crack (its glyph's at `place`, from crack point `base`): spread evenly along
// the crack and its branches by its own die (anywhere between two points, so the line has no gaps),
// within HAIR across it; a few stray further and make the seam's soft glow.
vec2 crack_target(uint i, vec3 place, uint base) {
    vec3 d = hash33(ivec3(int(i), 67, 0));
    float u = d.x * float(CRACK_POINTS);
    vec4 c = crack[base + min(uint(u), CRACK_POINTS - 1u)];
    float angle = 6.2831853 * d.z;
    float stray = (d.y < HALO_SHARE ? HALO : HAIR) * sqrt(fract(d.y * 97.31));
    return place.xy + place.z * (c.xy + fract(u) * c.zw) + stray * vec2(cos(angle), sin(angle));
}
