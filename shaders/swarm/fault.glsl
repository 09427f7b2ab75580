// Particle malfunctions (glitch/faults.py), shared by the step and the splat so that both
// pick the same bots. Each level is 0..1. A fault picks its bots by stable dice, so a rising
// level afflicts more of the same bots; and it picks whole stretches of stroke (bots are
// stratified over the ink in index order), so the face breaks in places instead of thinning.
#include "common/hash.glsl"

uniform float u_fault_stall;    // bots freeze where they are: dead pixels
uniform float u_fault_scatter;  // bots are kicked off at random, a dozen times a second
uniform float u_fault_swap;     // stretches of the face stream off to the wrong glyph
uniform float u_fault_colour;   // stretches take a wrong hue
uniform float u_fault_flicker;  // stretches sputter
uniform float u_fault_cascade;  // a failure runs along the strokes; the failed fall
uniform float u_fault_front;    // where the cascade is: 0..1 through the bots' order
uniform float u_fault_embrace;  // repair: the scars show in gold
uniform int u_fault_seed;

const float STRETCHES = 384.0;  // stretches of stroke a fault picks from
const float FLOOR = -0.985;     // where the failed pile up: the frame's bottom
const float HEALED = 0.9;       // a marked bot this well has left its stroke for the glyph's crack

// Whether a bot (life_of: phase, health, scar) is marked for good and healed: on the crack, in gold.
bool sealed(vec3 life) {
    return life.z > 0.5 && life.y >= HEALED;
}

bool picked(float along, int salt, float share) {
    return share > 0.0 && hash33(ivec3(int(along * STRETCHES), salt, 0)).x < share;
}

bool stalled(float along) { return picked(along, 61, u_fault_stall); }
bool swapped(float along) { return picked(along, 62, u_fault_swap); }

// The cascade: bots just behind its front (neighbours on the glyph) have failed.
bool failing(float along) {
    return u_fault_cascade > 0.0 && along < u_fault_front && along > u_fault_front - 0.4 * u_fault_cascade;
}

// The spark that runs ahead of the failure, along the stroke.
bool sparking(float along) {
    return u_fault_cascade > 0.0 && along >= u_fault_front && along < u_fault_front + 0.004;
}

// Whether a bot is down on the heap where the failed pile up (or on its way into it).
bool on_heap(vec2 pos) {
    return pos.y < FLOOR + 0.12;
}

// Whether a bot lights one of the face's features, its eyes or mouth: its target moves with
// a blink, or far in a laugh (the cheeks and jaw move less; pose.glsl's offsets, k as retarget.comp
// picks it). Faults spare these, so a hurt face keeps its eyes and mouth lit: never a skull.
bool feature(uint i, uint count, uint first, uint samples) {
    uint at = (first + min(uint(float(i) / float(count) * float(samples)), samples - 1u)) * 3u;
    return dot(poses[at], poses[at]) > 1e-8 || dot(poses[at + 1u], poses[at + 1u]) > 0.02 * 0.02;
}
