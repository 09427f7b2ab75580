#version 430
// Every bot adds its light into the swarm's light buffer: one deposit a frame, in fixed
// point with integer atomics, so the sum is exact and the same on every driver.
//
// Its footprint is sampled, not drawn: the deposit lands at a random point of a disc of
// the bot's size, then on one of the four pixels around that point with the bilinear
// weights as odds. Over bots and frames (the buffer keeps a decaying trail) that adds up
// to an antialiased, sub-pixel footprint at the cost of one pixel's atomics per bot.
//
// A formed glyph sends many bots to the same few pixels. Bots next to each other in the
// buffer are neighbours on the glyph, so each workgroup first sums its bots into a tile of
// shared memory around its first bot, and only the tile's lit pixels go to the buffer.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/colour.glsl"
#include "common/hash.glsl"

#define TILE 32  // a row of the tile is one bit of used_rows

layout(std430, binding = BOTS_BINDING) readonly buffer Bots { Bot bots[]; };
layout(std430, binding = LIGHT_BINDING) buffer Light { uint light[]; };  // rgb per pixel

uniform uint u_end;
uniform ivec2 u_pixels;      // the light buffer's size
uniform float u_aspect;
uniform float u_footprint;   // radius of a bot's footprint disc, in pixels
uniform float u_light;       // this frame's light of one bot, shared out over the swarm
uniform float u_glyph_glow;  // extra light of a bot settled in its glyph
uniform float u_time;
uniform vec3 u_core;         // the palette in linear light, core and edge turned by the hue drift
uniform vec3 u_edge;
uniform vec3 u_spark;
uniform int u_frame;
uniform float u_residents;      // share of the bots staying on visited glyphs (retarget.comp's die)
uniform float u_resident_light; // their light against the others': fewer bots light each visited glyph
uniform int u_seed;

#include "swarm/fault_light.glsl"

shared uint tile[TILE * TILE * 3];
shared ivec2 tile_origin;
shared uint used_rows;  // a bit for each row of the tile the workgroup touched

// A bot's own small turn of hue (up to a fifth of a radian) about the grey axis: Rodrigues'
// rotation with sine and cosine to third order. The palette's drift is turned on the CPU.
vec3 nudge_hue(vec3 c, float a) {
    const vec3 k = vec3(0.57735);
    float a2 = a * a;
    return c * (1.0 - 0.5 * a2) + cross(k, c) * (a - a2 * a / 6.0) + k * dot(k, c) * (0.5 * a2);
}

// The bot's light this frame: the palette from core to edge along its stroke, drifting in
// hue, flaring to the spark colour at speed, brighter once settled in its glyph, dimmed as
// it is hurt; the faults' looks are fault_light.glsl's.
vec3 glow_of(Bot b, uint i) {
    vec2 life = unpackUnorm2x16(b.life);
    vec2 look = unpackUnorm2x16(b.look);
    float along = abs(fract(look.x * 0.8 + look.y * 0.2) * 2.0 - 1.0);
    vec3 hue = max(nudge_hue(mix(u_core, u_edge, smoothstep(0.15, 0.85, along)), look.y * 0.2), 0.0);
    float speed = length(unpackHalf2x16(b.vel));
    vec3 colour = mix(hue, u_spark, 0.7 * smoothstep(0.5, 1.8, speed));
    float twinkle = 0.7 + 0.3 * sin(6.2831853 * (life.x * 13.0 + u_time * (0.4 + life.x)));
    float settled = 1.0 - smoothstep(0.005, 0.05, distance(unpackHalf2x16(b.target), b.pos));
    float shown = max(life.y * life.y, 0.05);
    colour = faulty_light(b, i, u_end, colour, twinkle, shown);
    float brightness = 0.55 + 0.45 * fract(look.y * 61.7);
    if (u_residents > 0.0 && hash33(ivec3(int(i), u_seed, 4)).x < u_residents) brightness *= u_resident_light;
    return colour * (u_light * brightness * twinkle * shown * (0.5 + 0.7 * u_glyph_glow * settled));
}

void main() {
    uint i = gl_GlobalInvocationID.x;
    uint lane = gl_LocalInvocationIndex;
    for (uint k = lane; k < uint(TILE * TILE * 3); k += gl_WorkGroupSize.x) tile[k] = 0u;

    ivec2 pixel = ivec2(-1);
    uvec3 amount = uvec3(0u);
    if (i < u_end) {
        Bot b = bots[i];
        uvec3 dice = pcg3d(uvec3(i, uint(u_frame), 0x5EEDu));
        vec4 r = vec4(dice.x & 0xFFFFu, dice.x >> 16u, dice.y & 0xFFFFu, dice.y >> 16u) * (1.0 / 65536.0);
        float angle = 6.2831853 * r.x;
        vec2 at = (b.pos / vec2(u_aspect, 1.0) * 0.5 + 0.5) * vec2(u_pixels)
                + u_footprint * sqrt(r.y) * vec2(cos(angle), sin(angle)) - 0.5;
        pixel = ivec2(floor(at)) + ivec2(step(r.zw, fract(at)));
        vec3 energy = glow_of(b, i) * LIGHT_UNITS;
        if (still(i, u_end)) {  // a dead pixel: where the bot is, nowhere else
            pixel = ivec2(floor((b.pos / vec2(u_aspect, 1.0) * 0.5 + 0.5) * vec2(u_pixels)));
            energy *= float(dead_lit(pixel));
        }
        float dither = still(i, u_end) ? 0.5 : float(dice.z) * (1.0 / 4294967296.0);
        amount = uvec3(max(energy + fract(dither + vec3(0.0, 0.382, 0.764)), 0.0));
        if (any(lessThan(pixel, ivec2(0))) || any(greaterThanEqual(pixel, u_pixels))) amount = uvec3(0u);
    }
    if (lane == 0u) {
        tile_origin = pixel - TILE / 2;
        used_rows = 0u;
    }
    barrier();

    if (amount != uvec3(0u)) {
        ivec2 local = pixel - tile_origin;
        if (all(greaterThanEqual(local, ivec2(0))) && all(lessThan(local, ivec2(TILE)))) {
            uint k = uint(local.y * TILE + local.x) * 3u;
            atomicOr(used_rows, 1u << uint(local.y));
            atomicAdd(tile[k], amount.r);
            atomicAdd(tile[k + 1u], amount.g);
            atomicAdd(tile[k + 2u], amount.b);
        } else {
            uint k = uint(pixel.y * u_pixels.x + pixel.x) * 3u;
            atomicAdd(light[k], amount.r);
            atomicAdd(light[k + 1u], amount.g);
            atomicAdd(light[k + 2u], amount.b);
        }
    }
    barrier();

    // only the rows the workgroup touched go to the buffer: one for a scattered swarm, the
    // stroke's neighbourhood for a formed face
    uint rows = used_rows;
    uint first = uint(findLSB(rows)), count = rows == 0u ? 0u : uint(findMSB(rows)) - first + 1u;
    for (uint n = lane; n < count * uint(TILE) * 3u; n += gl_WorkGroupSize.x) {
        uint cell = n / 3u;
        ivec2 local = ivec2(cell % uint(TILE), first + cell / uint(TILE));
        uint value = tile[uint(local.y * TILE + local.x) * 3u + n % 3u];
        if (value == 0u) continue;
        ivec2 at = tile_origin + local;
        atomicAdd(light[uint(at.y * u_pixels.x + at.x) * 3u + n % 3u], value);
    }
}
