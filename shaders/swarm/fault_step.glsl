// What the particle faults do to a bot in a step (swarm/step.glsl): each has a look of its own.
// A stall freezes its bots where they are; a swap streams stretches of the face off to the
// wrong glyph (beside this one when both share a place: a bridge of bots between two faces);
// a cascade's failed bots fall with nothing steering them and pile up at the frame's bottom;
// a scatter kicks bots off, and they fly back. Where a fault really hurt a bot on a seam, the
// scar is kept (kintsugi), whatever heals.
#include "swarm/fault.glsl"

uniform uint u_sample_count;
uniform uint u_wrong_base;      // the wrong glyph's first target sample
uniform vec3 u_wrong_place;     // and where it sits
uniform uint u_sample_base;     // this glyph's first target sample
uniform vec3 u_place;           // and where it sits: centre and scale

const float FALL = 2.5;         // how a failed bot falls, with nothing steering it
const float SEAMS = 12.0;       // places along the glyph's strokes where a break may be kept
const float SEAM = 0.12;        // half the width of a seam, in the stroke's radius: thin lines
const float SPREAD = 0.3;       // a target's spread is this share of its stroke's radius (glyphs/strokes.py)
const float SEAM_REACH = 0.02;  // how close along the strokes a break must come to a seam to leave a scar

// Where the wrong glyph is drawn: its own place, or, when it would overlap this glyph (the
// centre layout's next face), beside it, so the swapped bots stream across as a bridge.
vec3 wrong_place(vec2 centre, float aspect) {
    vec3 place = u_wrong_place;
    if (distance(place.xy, centre) > 1.6 * max(place.z, u_place.z)) return place;
    float side = centre.x > 0.0 ? -1.0 : 1.0;
    return vec3(centre.x + side * min(1.1, aspect - 0.4), centre.y + 0.15, place.z * 0.5);
}

// A swapped bot's target on the wrong glyph, inside its stroke; the swapped are hurt.
vec2 swapped_target(float along, vec3 h, vec2 centre, float aspect, inout float health, float dt) {
    uint k = min(uint(along * float(u_sample_count)), u_sample_count - 1u);
    vec4 s = samples[u_wrong_base + k];
    vec3 place = wrong_place(centre, aspect);
    float angle = 6.2831853 * h.y;
    health = max(health - max(dt * 0.6, 1.0 / 255.0), min(health, 0.6));  // hurt, yet lit: it draws the wrong face
    return place.xy + place.z * (s.xy + s.z * sqrt(h.x) * vec2(cos(angle), sin(angle)));
}

// A scatter's kick this step (a dozen new kicks a second); the kicked lose their hold.
vec2 scatter_kick(uint i, inout float health) {
    vec3 kick = hash33(ivec3(int(i), u_fault_seed, 63));
    if (kick.x >= u_fault_scatter * 0.3) return vec2(0.0);
    health = max(health - 0.2 * u_fault_scatter, 0.0);
    return (kick.yz * 2.0 - 1.0) * 40.0 * u_fault_scatter;
}

// A failed bot lands on the heap at the frame's bottom, its height its own: a pile.
void land(inout vec2 pos, inout vec2 vel, vec3 h) {
    float mound = exp(-4.0 * (pos.x - u_place.x) * (pos.x - u_place.x));  // a pile below the face, not a band
    float top = FLOOR + 0.14 * h.z * h.z * mound;
    if (pos.y < top) {
        pos.y = top;
        vel = vec2(vel.x * 0.3, 0.0);
    }
}

// The seam of a bot's stretch of the glyph: its place along the strokes, 0..1 (each of the
// SEAMS stretches has one, at a point of its own).
float seam_at(float along) {
    float cell = floor(along * SEAMS);
    return (cell + 0.2 + 0.6 * hash33(ivec3(int(cell), 64, 0)).x) / SEAMS;
}

// Whether a bot's target lies on its seam in the glyph it forms: a thin line across the stroke.
bool on_seam(float along, vec2 target) {
    uint k = clamp(uint(seam_at(along) * float(u_sample_count)), 1u, u_sample_count - 2u);
    vec4 s = samples[u_sample_base + k];
    vec2 across = target - (u_place.xy + u_place.z * s.xy);
    vec2 tangent = normalize(samples[u_sample_base + k + 1u].xy - samples[u_sample_base + k - 1u].xy + 1e-6);
    float radius = u_place.z * s.z / SPREAD;
    return abs(dot(across, tangent)) < SEAM * radius && length(across) < 1.3 * radius;
}

// The scar a bot keeps (kintsugi): hurt badly close to a seam, it is marked for good; it shows
// (scar 1) while its target lies on the seam's line in the glyph it forms, and hides (0.5)
// elsewhere, so that every glyph the marked bots form shows its breaks as thin seams.
float scarred(float along, vec2 target, float health, float scar) {
    bool marked = scar > 0.0 || (health < 0.7 && abs(along - seam_at(along)) < SEAM_REACH);
    return marked ? (on_seam(along, target) ? 1.0 : 0.5) : 0.0;
}
