// Particle malfunctions (glitch/faults.py), shared by the step and the splat so that both
// pick the same bots. Each level is 0..1. A fault picks its bots by stable dice, so a rising
// level afflicts more of the same bots; and it picks whole stretches of stroke (bots are
// stratified over the ink in index order), so the face breaks in places instead of thinning.
#include "common/hash.glsl"
#include "common/noise.glsl"

uniform float u_fault_stall;    // a patch of the face freezes: a cluster of stuck grey-white dots, dead pixels
uniform float u_fault_scatter;  // stretches of the face are thrown out of it, then fly back
uniform float u_fault_swap;     // stretches of the face stream off to the wrong glyph
uniform float u_fault_colour;   // stretches take a wrong hue
uniform float u_fault_flicker;  // stretches sputter
uniform float u_fault_cascade;  // a failure runs along the strokes; the failed fall
uniform float u_fault_front;    // where the cascade is: 0..1 across the face (reached)
uniform float u_fault_embrace;  // repair: every wound turns gold, for good
uniform vec3 u_place;           // where the glyph being formed sits: centre and scale
uniform uvec2 u_scar_homes;     // the faces whose scars show: bit g (x: 0..31, y: 32..63) for glyph index g & 63 (swarm.py)

const float STRETCHES = 384.0;  // stretches of stroke a fault picks from
const float FLOOR = -0.985;     // where the failed pile up: the frame's bottom,
const float HEAP = 0.45;        // and their heap's height at the most, in the glyph's scale (fault_step.glsl's land),
const float FOOT = 0.9;         // and how far its foot lies either side of the face's centre
const float HEALED = 0.9;       // a marked bot this well has left its stroke for the glyph's crack
// A bot's scar (life_of's z) as its byte (bot.glsl): its top two bits say how far it is, the low six keep
// the glyph it was hurt on, so a wall's scar stays with its own face.
const uint UNMARKED = 192u;     // no scar (the byte 255)
const uint WOUND = 128u;        // a fault marked it for good: a wound, healed unseen
const uint GILDED = 64u;        // an embrace has turned it gold (kintsugi), on its way to its crack in its own colour
const uint SEATED = 0u;         // and it has reached the crack once: gold from then on, wherever it flies
const float PATCH = 0.25;       // a stall's patch: its radius at the least, in the glyph's scale,
const float PATCH_GROWTH = 0.5; // and how it grows with the stall's level
const float ARRIVED = 0.08;     // how near its point a bot must be to stall there (frame units): a face still settling stalls too

uint scar_byte(float scar) { return 255u - uint(round(clamp(scar, 0.0, 1.0) * 255.0)); }
float scar_of(uint byte) { return 1.0 - float(byte) / 255.0; }
uint scar_stage(float scar) { return scar_byte(scar) & 192u; }  // UNMARKED, WOUND, GILDED or SEATED
uint scar_glyph(float scar) { return scar_byte(scar) & 63u; }    // the glyph it was hurt on (its index's low six bits)

// Whether a scar's face is shown: the one being formed, or on a wall one of its faces. A scar stays with the face
// that earned it: while its face is away, its bot draws the face being formed like any other (and keeps its scar).
bool at_home(float scar) {
    uint g = scar_glyph(scar);
    return (((g < 32u ? u_scar_homes.x : u_scar_homes.y) >> (g & 31u)) & 1u) != 0u;
}

// Whether a bot (life_of: phase, health, scar) is gilded and healed: on its face's crack, in gold. Before
// an embrace a wound heals back into its stroke, unseen: gold only ever follows an embrace.
bool sealed(vec3 life) {
    return scar_byte(life.z) < WOUND && life.y >= HEALED && at_home(life.z);
}

bool picked(float along, int salt, float share) {
    return share > 0.0 && hash33(ivec3(int(along * STRETCHES), salt, 0)).x < share;
}

bool swapped(float along) { return picked(along, 62, u_fault_swap); }
bool thrown(float along) { return picked(along, 64, min(2.0 * u_fault_scatter, 0.35)); }  // a third of the face at most: faults.py

// The cascade runs across the face as a crack spreads: from a point off its upper right, over where each
// bot belongs on the glyph (its target, in the glyph's own scale), so neighbours fail together. Its front
// is the warped distance from that point, never the bots' order: a Hilbert order's cells meet along
// straight seams (glyphs/glyph.py), and a front through them cut the face down a ruler-straight line.
// Fine veins of the noise (where it crosses zero) run ahead of the front, so its edge is a crack's:
// jagged, with fingers. Returns how far (0..1, about) the front must have come to reach a bot, as the share
// of the face it has crossed by then, so the front keeps an even pace over the bots.
const vec2 BREAK = vec2(0.7, 1.9);  // where the crack starts, in the glyph's scale from its centre
const float NEAREST = 1.0;          // the face's nearest and furthest ink from there, about
const float FURTHEST = 3.2;
const float WARP = 0.45;            // how far the noise bends the front, in the glyph's scale
const float VEINS = 0.18;           // how far ahead of it, through the bots' reach (0..1), its veins run
float reached(vec2 where) {
    vec2 p = (where - u_place.xy) / u_place.z;
    vec2 bend = vec2(gradient_noise(vec3(p * 1.4, 3.1)), gradient_noise(vec3(p * 1.4, 9.7)));
    float vein = 1.0 - abs(gradient_noise(vec3(p * 3.2 + bend, 5.3)));
    float t = (distance(p + WARP * bend, BREAK) - NEAREST) / (FURTHEST - NEAREST);
    return t - sin(6.2831853 * t) / 6.2831853 - VEINS * pow(vein, 8.0);  // the share of a disc's area a chord at t cuts off
}

// The cascade: bots just behind its front (neighbours on the glyph) have failed, a band of a fifth of the face at most
// (faults.py CASCADE_BAND). The front runs from the crack's start over CASCADE_REACH of the face as the fault runs its
// course, never all of it: with those still climbing back from the heap behind it, 0.6 of the face stays where it was.
const float CASCADE_BAND = 0.2;
const float CASCADE_REACH = 0.35;
bool failing(vec2 where) {
    if (u_fault_cascade <= 0.0) return false;  // no noise is worked out while no cascade runs
    float r = reached(where), front = CASCADE_REACH * u_fault_front;
    return r < front && r > front - CASCADE_BAND * u_fault_cascade;
}

// The spark that runs ahead of the failure.
bool sparking(vec2 where) {
    if (u_fault_cascade <= 0.0) return false;
    float r = reached(where), front = CASCADE_REACH * u_fault_front;
    return r >= front && r < front + 0.004;
}

// The heap's height at x where a grain `depth` (0..1) into it rests: a mound under the face (fault_step.glsl's land).
float heap_at(float x, float depth) {
    return FLOOR + HEAP * u_place.z * max(1.0 - abs(x - u_place.x) / (FOOT * u_place.z), 0.0) * depth;
}

// Whether a bot is down on the heap where the failed pile up (under its surface: a falling spark is not).
bool on_heap(vec2 pos) {
    return pos.y < heap_at(pos.x, 1.0) + 0.005;
}

// Whether a sample of the glyph lights one of the face's features, its eyes or mouth: its target moves with
// a blink, or far in a laugh (the cheeks and jaw move less; pose.glsl's offsets, k as retarget.comp
// picks it). Faults spare these, so a hurt face keeps its eyes and mouth lit: never a skull.
bool moves(uint point) {
    uint at = point * 3u;
    return dot(poses[at], poses[at]) > 1e-8 || dot(poses[at + 1u], poses[at + 1u]) > 0.02 * 0.02;
}

bool feature(uint i, uint count, uint first, uint samples) {
    return moves(first + min(uint(float(i) / float(count) * float(samples)), samples - 1u));
}

// Where a stall strikes: a disc of the face (frame units: centre, radius) round a point of its ink
// that is no eye or mouth, the glyph's own (its first sample picks it), so a stall is one cluster
// of dead pixels that reads in a still frame, not a thinning spread over the face.
vec3 stall_patch(uint first, uint count) {
    uint k = first;
    for (int n = 0; n < 4; n++) {
        k = first + min(uint(hash33(ivec3(int(first), 61, n)).x * float(count)), count - 1u);
        if (!moves(k)) break;
    }
    return vec3(u_place.xy + u_place.z * samples[k].xy, u_place.z * (PATCH + PATCH_GROWTH * u_fault_stall));
}

// Whether a bot stalls (callers test u_fault_stall first, so the patch is not worked out while none runs):
// its own point on the glyph (its target, frame units) is in the stall's patch
// and it is there (a bot still on its way, or fallen, flies on and stalls when it arrives), so the
// dead pixels are a patch of the face, never a spray in mid-air. Once stalled it stays stalled.
bool stalled(vec2 pos, vec2 target, vec3 spot) {
    return u_fault_stall > 0.0 && distance(target, spot.xy) < spot.z && distance(pos, target) < ARRIVED;
}
