// What the particle faults do to a bot's light in the splat (swarm/splat.comp). A stall's patch
// is a cluster of frozen bots: hard dead pixels, crisp grey-white dots about as bright as the stroke, each
// on one pixel, that neither move nor twinkle while the face breathes round them in its own hue (dim dots in
// the face's hue read as a dark patch no one saw in a still; hot white ones bloomed into clumps that read as
// healing). The cascade's white-hot spark runs ahead of its front; the failed fall as bright sparks
// in their face's colour and glow on their heap, grains, not bars. A colour fault turns stretches to a
// wrong hue at their own brightness; a flicker makes stretches sputter,
// a few times a second at most. Scars (kintsugi): gilded bots, healed, fill the glyph's crack with
// a bold seam of pale lacquer gold, brighter than the face's strokes, each bot gold from the step that seats it
// there (unseen on its way) as the seam's front passes it (fault_step.glsl's drawn), so a seam is drawn in along the break; a scar shows only on the face that earned it (fault.glsl's
// at_home): in a change of face its bots draw the next face with the rest, never a ribbon dragged across; in
// the embrace the fallen's heap glows gold, everyone's scars together. The gold is the palette's spark (swarm.palette.spark), which nothing else uses and
// which shows only from an embrace on: gold means healing.
#include "swarm/fault.glsl"

const float DEAD_GREY = 0.85;              // how far a frozen bot's colour is greyed: a dead pixel's grey-white, a trace of its hue
const float DEAD_LIGHT = 0.3;              // its light against a settled bot's, all on one pixel, on DEAD_PIXELS of them: dots about
                                           // as bright as the stroke, never a white clump (0.08 left a dim patch no one saw in a still)
const float DEAD_PIXELS = 0.4;             // the share of a patch's pixels that light: separate stuck dots, not a grey blot
const float SPUTTERS = 6.0;                // a flickering stretch's chances a second to go out or back
const float SPARK_LIGHT = 3.5;             // the falling failed bots' light: sparks, brighter than the stroke they left
const float THROWN_LIGHT = 2.0;            // a scatter's thrown bots' light, as sparks (its settled stroke's is 1.0)
const float SPARKS = 0.1;                  // share of them that carry it, so each spark is a crisp point
const float GHOST_LIGHT = 2.2;             // a swapped bot's light once it has settled on the wrong face, which it
                                           // lights unsettled (far from its own point): a settled stroke's
const float STREAMERS = 0.3;               // share of a swap's bots in flight that carry its light, each a bright bead,
const float STREAM_LIGHT = 1.6;            // and that light against a stroke's: a stream of bots from face to face (at 0.6,
                                           // spread over all of them, it read as fog on the wall)
const float THROWN_SPARKS = 0.4;           // and of a scatter's thrown that carry theirs: a string of beads, not a few hot
                                           // slashes (at ten times a stroke's light, a streak read as a brush stroke)
const float HEAP_BEADS = 0.02;             // share of the grains on the heap that carry its light, as loose beads
const float SEAM_LIGHT = 2.0;              // a settled gilded bot's light on SEAM_LENGTH of crack: the seam is dense (a cascade hurts a third of the
                                           // face, so twice the share of its hurt are wounds), a thin line (fault_step.glsl's HAIR) whose
                                           // core, as seen, is brighter than the lines and pale, yet never a flare (tests/swarm/test_scars.py)
const float SEAM_LENGTH = 1.0;             // glyph units of crack that SEAM_LIGHT lights: a longer crack's seam, as many bots spread
                                           // along it, lights each the more (a crack from brow to jaw, 2.1 long, read half as bright
                                           // as a cheek's stroke, 1.0), so every seam is as bright along its length
uniform float u_crack_length;             // the length of the forming glyph's crack, every piece (glyphs/atlas.py)
const float LEAVING_LIGHT = 0.6;           // a scar's bots leaving its face's crack, in their own colour: lit as the hairline seam's
const float SEAM_SCALE = 0.56;             // a lone face's scale: a smaller one's seam, as many bots' light on a shorter
                                           // crack at less light each, is lit up to it, else it reads as a brown smudge

// Whether faults spare the bot: it lights the face's eyes or mouth (as in the step).
bool spared(uint i) {
    return feature(i, u_count, u_pose_base, u_sample_count);
}

// A stalled bot: frozen in the step, where it is.
bool frozen(Bot b, uint i) {
    return u_fault_stall > 0.0 && !spared(i) && stalled(b.pos, unpackHalf2x16(b.target), stall_patch(u_pose_base, u_sample_count));
}

// A stalled bot stands still in the light as in the step: no footprint, no dither. Not in an embrace: the swarm
// is mending then, and a stall striking it (malfunction's random ones on the beat) lit a white patch by the chin.
bool still(Bot b, uint i) {
    return u_fault_embrace <= 0.0 && frozen(b, i);
}

// Whether a frozen bot's pixel lights: a fixed few of them, so the patch reads as separate still dots.
bool dead_lit(ivec2 pixel) {
    return hash33(ivec3(pixel, 65)).x < DEAD_PIXELS;
}

// A colour fault's wrong hue: a third of the way round the wheel (its channels turned: exactly 120 degrees), whichever
// way lands farther from the band of gold and its lime neighbours (45 to 100 degrees), so it lands at least 60 degrees
// from that band's middle: never gold, never the lime a cyan face turned in the finale.
const float GOLD_AND_LIME = 0.2;  // that band's middle, in turns (72 degrees)
vec3 wrong_hue(vec3 c) {
    float off_one = abs(fract(rgb_to_hsv(c.brg).x - GOLD_AND_LIME + 0.5) - 0.5);
    float off_other = abs(fract(rgb_to_hsv(c.gbr).x - GOLD_AND_LIME + 0.5) - 0.5);
    return off_gold(off_one > off_other ? c.brg : c.gbr);
}

// The bot's colour under the faults; `twinkle` and `shown` (its light's factors) change with it.
// `settled`: how settled it is in its glyph (a scar shows on the formed face, not in flight);
// `forming`: whether it lights the glyph being formed (whose eyes and mouth are spared).
// `gilt`: whether it is healing's gold.
vec3 faulty_light(Bot b, uint i, uint count, vec3 colour, float settled, bool forming, inout float twinkle, inout float shown,
                  inout bool gilt) {
    float along = float(i) / float(count);
    vec3 life = life_of(b.life);
    bool spare = forming && spared(i);  // eyes and mouth keep their light through every fault
    if (!spare) {
        if (picked(along, 71, u_fault_colour)) colour = wrong_hue(colour);
        if (picked(along, 72, u_fault_flicker * 0.8)
            && hash33(ivec3(int(along * STRETCHES), int(floor(u_time * SPUTTERS)), 73)).x < 0.6) {
            shown *= 0.12;
        }
        if (swapped(along)) {  // on the wrong face, still, as bright as a face's stroke; streaming there, bright beads: no haze
            float streaming = hash33(ivec3(int(i), 75, 0)).x < STREAMERS ? STREAM_LIGHT / STREAMERS : 0.0;
            shown *= mix(GHOST_LIGHT, streaming, smoothstep(0.15, 0.6, length(unpackHalf2x16(b.vel))));
        }
        if (thrown(along)) {  // thrown out of the face: a few bright points carry the stretch's light, streaking away
            shown = hash33(ivec3(int(i), 69, 0)).x < THROWN_SPARKS ? THROWN_LIGHT / THROWN_SPARKS : 0.0;
        }
        if (frozen(b, i)) {  // a grey-white dead dot, or in an embrace the face's own light where it stands: no dark gap either
            twinkle = 1.0;
            shown = u_fault_embrace > 0.0 ? 1.0 : DEAD_LIGHT;
            return u_fault_embrace > 0.0 ? colour : mix(colour, vec3(max(colour.r, max(colour.g, colour.b))), DEAD_GREY);
        }
        bool fallen = on_heap(b.pos) && life.y < 0.9;  // the hurt on the frame's bottom
        if (fallen) {  // on the heap: loose beads in their face's colour, gold as the embrace reaches them (everyone's scars
            // together; never a blend, which reads orange against a rose face); a mound as bright as the band it was, its light
            // carried by a few grains, each a bright point: spread over all of them it sat in the tone curve's toe, a brown wedge.
            // A grain gilds once the embrace's level passes its own die, so a swelling embrace gilds the heap as it heals: all
            // of it the moment one began (at a level of 0.01), calm's heap read as an orange-gold pile seconds before any seam
            vec3 die = hash33(ivec3(int(i), 67, 0));
            float beads = die.x < HEAP_BEADS ? 1.0 / HEAP_BEADS : 0.0;
            shown = (0.9 + 0.25 * u_fault_embrace) * beads;
            gilt = die.y < u_fault_embrace;
            return gilt ? u_spark : colour;
        }
        if (failing(unpackHalf2x16(b.target))) {  // falling: a few bright sparks in their face's colour, the rest gone dark
            shown = hash33(ivec3(int(i), 68, 0)).x < SPARKS ? SPARK_LIGHT / SPARKS : 0.0;
            return colour;
        }
        if (sparking(unpackHalf2x16(b.target))) {  // white-hot, never gold: gold is the embrace's
            shown = 3.0 * u_fault_cascade;
            return mix(colour, vec3(1.0), 0.7);
        }
    }
    if (sealed(life)) {  // unseen on its way to the crack, then gold, never a blend, from the step that seats it there: the
        bool seated = scar_stage(life.z) == SEATED;  // seam grows as a gold line, with no haze of its face's colour
        twinkle = mix(twinkle, 1.0, settled);       // round it to read as orange; in flight back to its face's crack it is
        shown *= seated ? SEAM_LIGHT * clamp(u_crack_length / SEAM_LENGTH, 0.5, 4.0) * max(SEAM_SCALE / u_place.z, 1.0)
                          * smoothstep(0.7, 1.0, settled) : 0.0;  // dark, lit again
        gilt = true;
        return u_spark;
    }
    // A scar whose face is away (the swarm has moved on): its bots leave that face's crack in their colour at the seam's
    // hairline's light (crowded on the crack, at a stroke's they would flare into a bright line), then light the next face's
    // strokes.
    if (scar_stage(life.z) < WOUND && !at_home(life.z)) shown *= mix(LEAVING_LIGHT * max(SEAM_SCALE / u_place.z, 1.0), 1.0, settled);
    return colour;
}
