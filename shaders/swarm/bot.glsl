// One nanobot as the storage buffer holds it: 24 bytes (std430), compact so that tens of
// millions fit. Position stays 32-bit float (sub-pixel at 4K); the rest is half floats
// and 16-bit fractions, unpacked with the helpers below.
struct Bot {
    vec2 pos;     // frame units: y in -1..1, x in -aspect..aspect
    uint vel;     // half2: frame units per second
    uint target;  // half2: its own point on the glyph it is forming
    uint life;    // unorm16 phase (its own rhythm, 0..1), then health and scar: see life_of
    uint look;    // unorm16 x2: place along its glyph's stroke (0..1), its own variation (0..1)
};

// life's second half keeps health (1 = well) in its high byte and, in its low byte, its scar
// (kintsugi: 1 when a fault marked it for good to fill its glyph's crack, swarm/fault_step.glsl).
// Read as one unorm16 it is the health to 1/256, so the unscarred and well read exactly 1.
vec3 life_of(uint life) {  // phase, health, scar
    uint v = life >> 16u;
    return vec3(float(life & 0xFFFFu) / 65535.0, float(v >> 8u) / 255.0, 1.0 - float(v & 255u) / 255.0);
}

uint pack_life(float phase, float health, float scar) {
    uint v = (uint(round(clamp(health, 0.0, 1.0) * 255.0)) << 8u) | (255u - uint(round(clamp(scar, 0.0, 1.0) * 255.0)));
    return (packUnorm2x16(vec2(phase, 0.0)) & 0xFFFFu) | (v << 16u);
}

#define BOTS_BINDING 0
#define SAMPLES_BINDING 2
#define ROSTER_BINDING 3
#define LIGHT_BINDING 4
#define POSES_BINDING 5  // glyphs/atlas.py: vec2 poses[], (target * 3 + pose), poses blink, laugh, tender
#define HUES_BINDING 6   // swarm/swarm.py: vec2 hues[], each glyph's place on the wheel of hues and blend of the two colours
#define CRACK_BINDING 7  // glyphs/atlas.py: vec4 crack[], glyph i's crack (glyphs/crack.py) from i * CRACK_POINTS

// Light is summed in fixed point, LIGHT_UNITS to one unit of linear light, so that adding
// up is exact, order-free and so the same on every driver.
#define LIGHT_UNITS 4096.0
