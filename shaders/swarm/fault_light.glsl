// What the particle faults do to a bot's light in the splat (swarm/splat.comp). A stalled
// bot is a dead pixel: a hard, cold grey-white point that neither moves nor twinkles, and
// only some of them stay lit. The cascade's spark runs ahead of its front; the failed fall
// as short sparks in their face's colour and glow faintly on their heap, grains, not streaks. A colour fault turns stretches
// to a wrong hue at their own brightness; a flicker makes stretches sputter, a few times a
// second at most. Scars (kintsugi): the healed marked bots fill the glyph's crack with a thin,
// saturated gold line, brighter in the embrace, while everything else keeps its own colour;
// in the embrace the fallen's heap glows warmer, everyone's scars together. The gold is the
// palette's spark (swarm.palette.spark), which nothing else uses: gold means healing.
#include "swarm/fault.glsl"

const vec3 DEAD = vec3(0.62, 0.68, 0.8);   // a dead pixel's cold grey-white
const float SPUTTERS = 6.0;                // a flickering stretch's chances a second to go out or back
const float SEAM_LIGHT = 1.5;              // a settled scarred bot's extra light on the crack
const float SEAM_EMBRACE = 2.0;            // and in the embrace

// Whether faults spare the bot: it lights the face's eyes or mouth (as in the step).
bool spared(uint i) {
    return feature(i, u_count, u_pose_base, u_sample_count);
}

// A stalled bot stands still in the light as in the step: no footprint, no dither.
bool still(uint i, uint count) {
    return stalled(float(i) / float(count)) && !spared(i);
}

// Whether a dead pixel lights: a fixed few of the stalled bots' pixels.
bool dead_lit(ivec2 pixel) {
    return hash33(ivec3(pixel, 65)).x < 0.3;
}

// The bot's colour under the faults; `twinkle` and `shown` (its light's factors) change with it.
// `settled`: how settled it is in its glyph (a scar shows on the formed face, not in flight);
// `forming`: whether it lights the glyph being formed (whose crack the scarred fill).
vec3 faulty_light(Bot b, uint i, uint count, vec3 colour, float settled, bool forming, inout float twinkle, inout float shown) {
    float along = float(i) / float(count);
    vec3 life = life_of(b.life);
    bool spare = forming && spared(i);  // eyes and mouth keep their light through every fault
    if (!spare) {
        if (picked(along, 71, u_fault_colour)) colour = off_gold(mix(colour, colour.brg, 0.85));
        if (picked(along, 72, u_fault_flicker * 0.8)
            && hash33(ivec3(int(along * STRETCHES), int(floor(u_time * SPUTTERS)), 73)).x < 0.6) {
            shown *= 0.12;
        }
        if (stalled(along)) {
            twinkle = 1.0;
            shown = 0.45;
            return DEAD;
        }
        bool fallen = on_heap(b.pos) && life.y < 0.9;  // the hurt on the frame's bottom
        if (fallen) {  // on the heap: grains in their face's colour, warming to gold in the embrace (everyone's scars together)
            shown = 0.45 + 0.25 * u_fault_embrace;
            return mix(colour, u_spark, 0.7 * u_fault_embrace);
        }
        if (failing(along)) {  // falling: sparks in their face's colour, dimmer
            shown *= 0.5;
            return colour;
        }
        if (sparking(along)) {
            shown = 3.0 * u_fault_cascade;
            return mix(u_spark, vec3(1.0), 0.5);
        }
    }
    if (sealed(life) && forming) {  // its own colour on its way to the crack, gold once in it: no gold haze in flight
        twinkle = mix(twinkle, 1.0, settled);
        shown *= 1.0 + settled * (SEAM_LIGHT + SEAM_EMBRACE * u_fault_embrace);
        return mix(colour, u_spark, settled * settled);
    }
    return colour;
}
