// One nanobot as the storage buffers hold it (std430, 32 bytes), and its colour record.
// colour: x = place along its glyph's stroke (0..1), y = its own variation (0..1),
//         z = corruption (0 = none), w = its brightness.
struct Bot {
    vec2 pos;     // frame units: y in -1..1, x in -aspect..aspect
    vec2 vel;     // frame units per second
    vec2 target;  // its own point on the glyph it is forming
    float phase;  // 0..1, its own rhythm for twinkle and tremble
    float health; // 1 = well; lower is a failing bot
};

#define BOTS_BINDING 0
#define COLOURS_BINDING 1
#define SAMPLES_BINDING 2
