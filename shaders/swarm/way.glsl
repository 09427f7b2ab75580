// A bot's way through a change of face, shared by the step (how and when it flies) and the splat (when its light
// takes the new face's colour). Bots next to each other in the buffer are neighbours on the glyph, so a strand
// (STRANDS to the swarm) is a piece of stroke that sets off together and flies as one ribbon; the R3
// low-discrepancy sequence (Roberts 2018) spreads strands' ways evenly. Within a strand each bead (retarget.comp's
// knot: the bots of eight target samples, lit as one point of the stroke) varies it a little its own way, and all
// its bots alike, so a bead leaves, flies and lands as one glowing dot: a bot's own variation spread a knot along
// its path into a dash.
const float STRANDS = 160.0;   // ribbons a morph's bots fly in
const uint BEAD_SAMPLES = 8u;  // target samples to a bead (retarget.comp's knots: every eighth)

// The bead bot i belongs to: its knot's target samples, as retarget.comp picks them.
uint bead_of(uint i, uint count, uint samples) {
    return min(uint(float(i) / float(count) * float(samples)), samples - 1u) / BEAD_SAMPLES;
}

// The bead's own three random numbers: how it varies its strand's way, how a scatter throws it.
vec3 bead_dice(uint i, uint count, uint samples, int seed) {
    return hash33(ivec3(int(bead_of(i, count, samples)), seed, 9));
}

// Its way (its bead's dice give its share of its own): x when it leaves (times the stagger), y which side it
// swings, z how far its strand curls.
vec3 way_of(uint i, uint count, vec3 bead) {
    float strand = floor(float(i) / float(count) * STRANDS);
    return mix(fract(strand * vec3(0.8191725, 0.6710436, 0.5497005) + 0.5), bead, 0.15);
}
