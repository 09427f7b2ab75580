// What the particle faults do to a bot in a step (swarm/step.glsl): each has a look of its own.
// A stall freezes a patch of the face where it is; a swap streams stretches of the face off to the
// wrong glyph (beside this one when both share a place: a bridge of bots between two faces);
// a cascade's failed bots fall with nothing steering them and pile up at the frame's bottom;
// a scatter throws stretches of the face out of it, and they fly back. A few of the bots a fault
// hurts badly are marked for good: a wound, which heals back into its stroke unseen until an
// embrace gilds it (kintsugi); then, healed, it leaves its stroke and fills the glyph's crack.
#include "swarm/fault.glsl"

layout(std430, binding = CRACK_BINDING) readonly buffer Crack { vec4 crack[]; };  // glyphs/crack.py: point, step to the next
layout(std430, binding = ROSTER_BINDING) readonly buffer Roster { vec4 roster[]; };  // visited glyphs: place xy, scale, first sample

uniform uint u_sample_count;
uniform uint u_wrong_base;      // the wrong glyph's first target sample
uniform vec3 u_wrong_place;     // and where it sits
uniform uint u_crack_base;      // this glyph's first crack point
uniform uint u_roster_size;     // visited glyphs that keep residents (a wall's)

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
const float HAIR = 0.0025;       // how far a crack's bot strays from its line, frame units: a hairline, 1 to 2 px at 270 lines
const float HALO = 0.006;        // and how far the few that make its faint glow stray (0.016, 4 px at 540 lines, read thick)
const float HALO_SHARE = 0.12;
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

// A swapped bot's target on the wrong glyph, inside its stroke; the swapped are hurt. Each swapped stretch draws a
// piece of the wrong glyph's strokes of its own (from a place its die picks, longer the fewer stretches a swap takes),
// so together they draw most of the other face's outline, a face that reads, not a scatter of a third of its pieces.
vec2 swapped_target(float along, vec3 h, vec2 centre, float aspect, inout float health, float dt) {
    float stretch = floor(along * STRETCHES);
    float piece = 1.5 / (STRETCHES * max(u_fault_swap, 0.1));  // the stretches' pieces together cover the glyph about 1.5 times
    float at = fract(hash33(ivec3(int(stretch), 62, 1)).x + fract(along * STRETCHES) * piece);
    uint k = min(uint(at * float(u_sample_count)), u_sample_count - 1u);
    vec4 s = samples[u_wrong_base + k];
    vec3 place = wrong_place(centre, aspect);
    float angle = 6.2831853 * h.y;
    health = max(health - max(dt * 0.6, 1.0 / 255.0), min(health, 0.72));  // shaken, yet lit: it draws the wrong face; nothing broke, so no scar
    return place.xy + place.z * (s.xy + abs(s.z) * sqrt(h.x) * vec2(cos(angle), sin(angle)));  // a shade's is negative
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

// The glyph bot i lights: the one being formed, or a wall's resident's own (retarget.comp's pick from
// the roster by its die).
uint glyph_on(uint i, float residents, int seed) {
    float stay = residents > 0.0 ? hash33(ivec3(int(i), seed, 4)).x : 1.0;
    if (stay >= residents || u_roster_size == 0u) return u_crack_base / CRACK_POINTS;
    return uint(roster[min(uint(stay / residents * float(u_roster_size)), u_roster_size - 1u)].w) / u_sample_count;
}

// A bot's scar after this step (kintsugi): a wound if it was one, or is hurt badly now and its own die
// makes it one of the few (CRACKED) who will fill the crack (keeping the glyph it is hurt on: the wall's
// `residents`, with `seed`, say which); gilded, for good, once an embrace finds it wounded on a face it
// shows (an embrace of the next face heals that face's wounds, not the last one's). A wound whose face has gone
// unhealed is let go (it healed unseen), so the bot may be wounded on the face it draws now.
float scarred(uint i, float health, float scar, float residents, int seed) {
    uint byte = scar_byte(scar);
    if (byte >= WOUND && byte < UNMARKED && !at_home(scar)) byte = 255u;
    if (byte >= UNMARKED) {
        if (health >= 0.7 || hash33(ivec3(int(i), 66, 0)).x >= CRACKED) return scar_of(byte);
        byte = WOUND | (glyph_on(i, residents, seed) & 63u);
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

// A marked bot's place on a crack (its glyph's at `place`, from crack point `base`): spread evenly along
// the crack and its branches by its own die (anywhere between two points, so the line has no gaps),
// on a hairline across it; a few stray further and make the seam's faint glow.
vec2 crack_target(uint i, vec3 place, uint base) {
    vec3 d = hash33(ivec3(int(i), 67, 0));
    float u = d.x * float(CRACK_POINTS);
    vec4 c = crack[base + min(uint(u), CRACK_POINTS - 1u)];
    float angle = 6.2831853 * d.z;
    float stray = (d.y < HALO_SHARE ? HALO : HAIR) * sqrt(fract(d.y * 97.31));
    return place.xy + place.z * (c.xy + fract(u) * c.zw) + stray * vec2(cos(angle), sin(angle));
}
