#version 430
// Every bot adds its light into the swarm's light buffer, in fixed point with integer
// atomics, so the sum is exact and the same on every driver.
//
// A bot lays its light along its path over the last u_streak seconds, whatever the frame rate (a
// streak: pos - vel * u_streak to pos, longer for lead bots), the same energy shared over a deposit every STREAK_SPACING
// pixels, so a morph draws filaments and a settled bot a point. Each deposit's footprint
// is sampled, not drawn: it lands at a random point of a disc of the bot's size along the
// segment, then on one of the four pixels around that point with the bilinear weights as
// odds. Over bots and frames (the buffer keeps a decaying trail) that adds up to an
// antialiased, sub-pixel line at the cost of one pixel's atomics per deposit.
//
// A formed glyph sends many bots to the same few pixels. Bots next to each other in the
// buffer are neighbours on the glyph, so each workgroup first sums its bots into a tile of
// shared memory around its first bot, and only the tile's lit pixels go to the buffer.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/invocation.glsl"
#include "common/colour.glsl"
#include "common/hash.glsl"
#include "swarm/pose.glsl"

#define TILE 32  // a row of the tile is one bit of used_rows
#define STREAK_SPACING 1.5  // pixels between a streak's deposits
#define MOST_DEPOSITS 6u    // the longest streak's deposits (its light is shared, not added)
#define LEADS 0.03          // share of bright lead bots over the fine dust
#define LEAD_GAIN 4.0       // their light against the average bot's
#define LEAD_TRAIL 2.5      // their streaks' length against the others'

layout(std430, binding = HUES_BINDING) readonly buffer Hues { vec2 hues[]; };        // each glyph's place on the wheel, blend
layout(std430, binding = SAMPLES_BINDING) readonly buffer Samples { vec4 samples[]; };  // the glyphs' targets: where a stall strikes
#include "swarm/aim.glsl"
#include "swarm/way.glsl"
#include "swarm/home.glsl"

layout(std430, binding = BOTS_BINDING) readonly buffer Bots { Bot bots[]; };
layout(std430, binding = LIGHT_BINDING) buffer Light { uint light[]; };  // rgb per pixel, then how much of it is gold

uniform uint u_end;
uniform ivec2 u_pixels;      // the light buffer's size
uniform float u_aspect;
uniform float u_footprint;   // radius of a bot's footprint disc, in pixels
uniform float u_light;       // this frame's light of one bot, shared out over the swarm
uniform float u_glyph_glow;  // extra light of a bot settled in its glyph
uniform float u_time;
uniform vec3 u_core;         // the palette in linear light, core and edge turned by the hue drift
uniform vec3 u_edge;
uniform float u_sway;        // the hue drift's turn now (turns), which every face sways by
uniform float u_lean;        // how far a face's hue leans from its place on the wheel toward its palette colour's
uniform vec2 u_room;         // the room's own hue (OKLab degrees) and how far either side of it no face goes (light.py room_hue)
uniform vec3 u_spark;
uniform int u_frame;
uniform float u_residents;      // share of the bots staying on a wall's faces (swarm/home.glsl)
uniform float u_resident_light; // their light against the others': fewer bots light each visited glyph
uniform int u_seed;
uniform vec3 u_camera;          // the view at the swarm's depth: p is seen at (p - xy) * z (core/camera.py)
uniform float u_streak;         // seconds of its path a bot's light is laid along (swarm/light.py STREAK)
uniform float u_glints;         // share of settled bots that glint
uniform float u_glint;          // a glint's light at its peak, in this frame's units
uniform uint u_glyph;           // the glyph being formed
uniform vec3 u_pose;            // the face's pose weights, as the last step moved its targets
uniform uint u_pose_base;
uniform float u_pose_scale;
uniform uint u_count;
uniform uint u_sample_count;
uniform uint u_left;            // the face the swarm left for this one while it changes face (u_glyph once it has formed)
uniform vec3 u_left_place;      // where that face sat: centre and scale
uniform float u_visit_time;     // seconds since the swarm set off for this face
uniform float u_stagger;        // seconds over which its strands set off (the step's)
uniform float u_haze;           // 1 while the show's first face forms from the haze the swarm starts as, 0 once formed

// A colour turned out of gold's family of hue as it is seen (orange, brown, gold and lime: HSV 0 to 120 degrees
// in linear light) to its nearer edge, rose (349 degrees) or green, so that no face, and no fault's wrong hue,
// is ever gold or competes with it: gold means healing. The band reaches pure green because the tone curve
// (ACES bends each channel on its own) and the sRGB encoding lift a colour's lesser channel: a linear 110
// degrees is seen at 70 to 100 in the PNG (calm, ember-tide, malfunction and festival showed lime faces),
// while the primaries (0, 120, 240) keep their hue and a hue past green drifts toward cyan, away from gold.
vec3 off_gold(vec3 c) {
    vec3 hsv = rgb_to_hsv(c);
    if (hsv.y < 0.25) return c;  // too grey to read as gold
    float h = hsv.x;
    const float LO = -0.03, HI = 1.0 / 3.0, GREEN = 0.345;  // rose, pure green, and the green a lime turns to
    if (h >= HI) return c;
    if (HI - h <= h - LO) return hsv_to_rgb(vec3(GREEN, hsv.yz));  // lime's light as green's: its value and saturation
    // to rose by a turn about the grey axis, which keeps the colour's light (rose at gold's value reads darker)
    float a = 6.2831853 * (LO - h);
    const vec3 k = vec3(0.57735);
    return max(c * cos(a) + cross(k, c) * sin(a) + k * dot(k, c) * (1.0 - cos(a)), 0.0);
}

#include "swarm/fault_light.glsl"

// The HSV hue (turns) of OKLab's hue angle `angle` (degrees), where the eye spaces hues evenly:
// HSV's 260 to 340 degrees all read pink or violet, a third of OKLab's wheel is green to blue.
float seen_hue(float angle) {
    vec2 ab = 0.12 * vec2(cos(radians(angle)), sin(radians(angle)));
    vec3 lms = vec3(0.75) + mat3(0.3963377774, -0.1055613458, -0.0894841775,
                                 0.2158037573, -0.0638541728, -1.2914855480, 0.0, 0.0, 0.0) * vec3(ab, 0.0);
    lms = lms * lms * lms;
    vec3 rgb = mat3(4.0767416621, -1.2684380046, -0.0041960863,
                    -3.3077115913, 2.6097574011, -0.7034186147,
                    0.2309699292, -0.3413193965, 1.7076147010) * lms;
    return rgb_to_hsv(max(rgb, 0.0)).x;
}

// A face's place on the wheel (0..1) as an OKLab hue angle outside gold's family (150 to 360 degrees), and outside
// u_room.y degrees either side of the room's own hue: the faces keep the same order and even spread over what is
// left of the arc, so a face contrasts its room (no magenta face on a crimson room, no violet on a magenta one).
// The place is each face's own, so a face never straddles the gap's two sides; only the sway and the strokes'
// own change, a few degrees, come after.
float face_angle(float place) {
    float a = 210.0 * pow(place, 1.08);  // fewer degrees at the pink end: the tonemap's knee pulls a rose toward magenta
    float room = u_room.x + 360.0 * round((255.0 - u_room.x) / 360.0);  // the room's hue on the arc's turn of the wheel
    float lo = clamp(room - u_room.y, 150.0, 360.0), hi = clamp(room + u_room.y, 150.0, 360.0);
    float before = lo - 150.0, after = 360.0 - hi;  // the arc's two parts either side of the room's hue
    float t = a * (before + after) / 210.0;
    return t < before || after <= 0.0 ? 150.0 + t : hi + t - before;
}

// A face's hue (turns) from its place on the wheel (0..1, swarm.py face_colours): laid evenly, as the
// eye sees hue, over the wheel outside gold's family (OKLab 150 to 360 degrees, HSV's 130 to 345: off_gold's
// band and a margin for the sway and the strokes' own change) and clear of the room's hue (face_angle), then
// leaning by u_lean toward its palette colour's hue where that is within a quarter of the wheel: a preset
// weights the wheel toward its colours (its character) but faces far round it stay where they are.
float face_hue(float place, float palette) {
    float h = seen_hue(face_angle(place));
    float d = palette - h;
    d -= round(d);
    return fract(h + u_lean * d * max(1.0 - abs(d) / 0.25, 0.0));
}

shared uint tile[TILE * TILE * 4];
shared ivec2 tile_origin;
shared uint used_rows;  // a bit for each row of the tile the workgroup touched

// Which glyph a bot lights: the one being formed, or for a resident the wall's face it stays on (`stay`, its roster
// entry: swarm/home.glsl).
uint glyph_of(int stay) {
    return stay < 0 ? u_glyph : uint(roster[stay].w) / u_sample_count;
}

float settle(float off) { return 1.0 - smoothstep(0.005, 0.05, off); }
const float SETTING_OFF = 0.5;  // seconds a strand takes to set off (the step's go)

// A change of face as a stream of colour, not a cut: how far bot i has come from its point on the face the swarm
// left to its point on this one, 0..1, by its distance from each (0 until its strand sets off: way.glsl; 1 for a
// bot with no other face: the show's first, a wall's residents); how settled it is, 0..1: near its point on
// either face (on this one as the pose has moved it), or its strand not yet set off (a face flying to its new
// place flies whole, so its glow goes as its strands would leave it, not the moment it lifts off); its
// strand's order in setting off (0..1); and its place along the strokes of the face it left (retarget.comp's look,
// its own for a bot with no other face). A healed scarred bot's point is on a crack (the step's): its seam's gold
// goes out strand by strand as the change begins, not all at once the moment the swarm is sent.
vec4 journey(Bot b, uint i, int stay) {
    bool sealing = sealed(life_of(b.life));
    vec2 target = unpackHalf2x16(b.target) + (sealing ? vec2(0.0)
                : pose_offset(u_pose, u_pose_base, u_pose_scale, i, u_count, u_sample_count, stay >= 0));
    float here = distance(target, b.pos), stroke = unpackUnorm2x16(b.look).x;
    if (u_left == u_glyph || stay >= 0) {
        return vec4(1.0, settle(here), 0.0, stroke);
    }
    float order = way_of(i, u_count, bead_dice(i, u_count, u_sample_count, u_seed)).x, leave = order * u_stagger;
    float staying = 1.0 - smoothstep(leave, leave + SETTING_OFF, u_visit_time);
    if (sealing) {  // a seam's gold goes out strand by strand over its first SETTING_OFF * 2 seconds on the way: never a ribbon
        return vec4(1.0, max(settle(here), 1.0 - smoothstep(0.0, SETTING_OFF, u_visit_time - order * SETTING_OFF)), order, stroke);
    }
    float there = distance(aimed_point(i, float(i) / float(u_count), u_left * u_sample_count, u_sample_count, u_left_place,
                                       u_seed, stroke), b.pos);
    return vec4(u_visit_time < leave ? 0.0 : there / max(there + here, 1e-6), max(settle(min(here, there)), staying), order, stroke);
}

// The face a bot leaving for this one is coming from: the one the swarm left, or on a wall the face whose place is
// nearest, which gives the newcomer a share of its residents (swarm/home.glsl): they keep its colour as they set off.
uint coming_from(vec2 pos) {
    uint from = u_left;
    float near = distance(pos, u_left_place.xy) / u_left_place.z;
    for (uint k = 0u; u_residents > 0.0 && k < u_roster_size; k++) {
        float far = distance(pos, roster[k].xy) / roster[k].z;
        if (far < near) {
            near = far;
            from = uint(roster[k].w) / u_sample_count;
        }
    }
    return from;
}

// The face whose colour bot i wears: its own glyph's (glyph_of), or while the swarm changes face the one it comes
// from until it is past its own share of the way, strand by strand in the order they set off (way.glsl), so the new
// colour streams in along the strokes and each bead changes whole, never a blend (two hues' blend can read gold).
uint worn_of(int stay, vec4 way, vec2 pos) {
    uint g = glyph_of(stay);
    return g != u_glyph || way.x > 0.15 + 0.7 * way.z ? g : coming_from(pos);
}

// The bot's light this frame: the palette from core to edge along its stroke (`stroke`: its place along the strokes
// of the face it wears, `worn`), turned by that face's own hue, flaring toward white at speed (gold is kept for healing), brighter once
// settled in its glyph, dimmed as it is hurt; the faults' looks are fault_light.glsl's. Its
// fourth part is its light again where it is healing's gold (resolve.frag lays gold as it is seen).
vec4 glow_of(Bot b, uint i, int stay, float settled, uint worn, float stroke) {
    vec2 life = unpackUnorm2x16(b.life);
    vec2 look = unpackUnorm2x16(b.look);
    float along = abs(fract(stroke * 0.8 + look.y * 0.2) * 2.0 - 1.0);
    vec2 own = hues[worn];  // each person their own hue round the wheel, varying a little along the strokes
    float blend = clamp(own.y + 0.35 * (smoothstep(0.15, 0.85, along) - 0.5), 0.0, 1.0);
    vec3 palette = rgb_to_hsv(between_hues(u_core, u_edge, blend));
    float face = rgb_to_hsv(between_hues(u_core, u_edge, own.y)).x;
    float varied = palette.x - face;  // the palette's own change along the stroke, kept within the face's family of hue:
    varied = clamp(varied - round(varied), -0.025, 0.025);  // a wide palette turned a face's stubble from pink to salmon
    vec3 hue = off_gold(hsv_to_rgb(vec3(fract(face_hue(own.x, face) + varied + look.y * 0.03 + u_sway), palette.yz)));
    float speed = length(unpackHalf2x16(b.vel));
    float flare = life.y < 0.9 ? 0.0 : 0.6 * smoothstep(0.5, 1.8, speed);  // the hurt keep their colour as they fall
    vec3 colour = mix(hue, vec3(max(hue.r, max(hue.g, hue.b))), flare);
    float twinkle = 0.7 + 0.3 * sin(6.2831853 * (life.x * 13.0 + u_time * (0.4 + life.x)));
    float shown = max(life.y * life.y, 0.05);
    bool gilt = false;
    colour = faulty_light(b, i, u_end, colour, settled, stay < 0, twinkle, shown, gilt);
    float brightness = (0.55 + 0.45 * fract(look.y * 61.7))
                     * (fract(look.y * 613.7) < LEADS ? LEAD_GAIN : (1.0 - LEADS * LEAD_GAIN) / (1.0 - LEADS));
    if (stay >= 0) brightness *= u_resident_light;
    else if (u_residents > 0.0 && sealed(life_of(b.life))) brightness *= max(u_resident_light, 1.0);  // a scar stays on its
    // hurt face: lit as that face's strokes once many faces share the residents, never dim as a passer-by's
    // the first face forms as crisp beads out of dim dust: a bot still on its way in lit as a soft cloud round the
    // strokes, and the glow fattened it into a blur (every preset at 1.9 s)
    brightness *= 1.0 - 0.85 * u_haze * (1.0 - settled * settled * settled);
    vec3 light = colour * (u_light * brightness * twinkle * shown * (0.5 + 0.7 * u_glyph_glow * settled));
    return vec4(light, gilt ? max(light.r, max(light.g, light.b)) : 0.0);
}

// Frame units to the light buffer's pixels, through the virtual camera.
vec2 to_pixels(vec2 p) {
    return ((p - u_camera.xy) * u_camera.z / vec2(u_aspect, 1.0) * 0.5 + 0.5) * vec2(u_pixels) - 0.5;
}

// A crisp glint now and then on a settled stroke: a few bots each flash for a fifth of a
// second once every 2 to 5 seconds (never more than 3 times a second), out of step.
float glint_of(Bot b, float settled) {
    vec2 look = unpackUnorm2x16(b.look);
    if (settled < 0.9 || fract(look.y * 271.3) >= u_glints) return 0.0;
    float period = 2.0 + 3.0 * fract(look.y * 37.1);
    float at = fract(u_time / period + unpackUnorm2x16(b.life).x) * period;
    return smoothstep(0.0, 0.05, at) * (1.0 - smoothstep(0.05, 0.2, at)) * unpackUnorm2x16(b.life).y;
}

void main() {
    uint i = invocation();
    uint lane = gl_LocalInvocationIndex;
    for (uint k = lane; k < uint(TILE * TILE * 4); k += gl_WorkGroupSize.x) tile[k] = 0u;

    vec2 head = vec2(-1e6), tail = vec2(-1e6);
    uint deposits = 0u;
    vec4 energy = vec4(0.0);
    float footprint = u_footprint;
    bool dead = false;  // a stalled bot: a dim dot, where it is, nowhere else, untwinkling
    if (i < u_end) {
        Bot b = bots[i];
        int stay = home_of(i, u_count, u_sample_count, u_residents, u_seed, u_pose_base);
        vec4 way = journey(b, i, stay);
        float settled = way.y;
        uint worn = worn_of(stay, way, b.pos);
        float stroke = worn == u_glyph ? unpackUnorm2x16(b.look).x : way.w;  // along the strokes of the face it wears
        bool lead = fract(unpackUnorm2x16(b.look).y * 613.7) < LEADS;
        head = to_pixels(b.pos);
        bool falling = failing(unpackHalf2x16(b.target)) || on_heap(b.pos);  // a short spark or a grain, not a bar
        tail = to_pixels(b.pos - unpackHalf2x16(b.vel) * u_streak * (lead ? LEAD_TRAIL : 1.0) * (falling ? 0.3 : 1.0));
        deposits = clamp(uint(ceil(distance(head, tail) / STREAK_SPACING)), 1u, MOST_DEPOSITS);
        float glint = glint_of(b, settled);
        energy = (glow_of(b, i, stay, settled, worn, stroke) + vec4(vec3(u_glint * glint), 0.0)) * (LIGHT_UNITS / float(deposits));
        footprint *= (lead || falling || energy.a > 0.0 ? 0.5 : 1.0) * (1.0 - glint);  // leads, sparks, glints and gold crisp:
        // a seam's wide footprint laid it ~3 px across at 480x270, a zigzag the glow fattened further
        dead = still(b, i);
        if (dead) {
            head = tail = floor(to_pixels(b.pos) + 0.5);
            deposits = 1u;
            footprint = 0.0;
            energy = glow_of(b, i, stay, 1.0, worn, stroke) * LIGHT_UNITS * float(dead_lit(ivec2(head)));
        }
    }
    if (lane == 0u) {
        tile_origin = ivec2(floor(head)) - TILE / 2;
        used_rows = 0u;
    }
    barrier();

    for (uint n = 0u; n < deposits; n++) {
        uvec3 dice = pcg3d(uvec3(i, uint(u_frame), 0x5EEDu + n));
        vec4 r = vec4(dice.x & 0xFFFFu, dice.x >> 16u, dice.y & 0xFFFFu, dice.y >> 16u) * (1.0 / 65536.0);
        float angle = 6.2831853 * r.x;
        float s = (float(n) + float(dice.z >> 16u) * (1.0 / 65536.0)) / float(deposits);
        vec2 at = mix(head, tail, s) + footprint * sqrt(r.y) * vec2(cos(angle), sin(angle));
        ivec2 pixel = dead ? ivec2(head) : ivec2(floor(at)) + ivec2(step(r.zw, fract(at)));
        float dither = dead ? 0.5 : float(dice.z & 0xFFFFu) * (1.0 / 65536.0);
        uvec4 amount = uvec4(max(energy + fract(dither + vec4(0.0, 0.382, 0.764, 0.146)), 0.0));
        if (any(lessThan(pixel, ivec2(0))) || any(greaterThanEqual(pixel, u_pixels)) || amount == uvec4(0u)) continue;
        ivec2 local = pixel - tile_origin;
        if (all(greaterThanEqual(local, ivec2(0))) && all(lessThan(local, ivec2(TILE)))) {
            uint k = uint(local.y * TILE + local.x) * 4u;
            atomicOr(used_rows, 1u << uint(local.y));
            atomicAdd(tile[k], amount.r);
            atomicAdd(tile[k + 1u], amount.g);
            atomicAdd(tile[k + 2u], amount.b);
            if (amount.a > 0u) atomicAdd(tile[k + 3u], amount.a);
        } else {
            uint k = uint(pixel.y * u_pixels.x + pixel.x) * 4u;
            atomicAdd(light[k], amount.r);
            atomicAdd(light[k + 1u], amount.g);
            atomicAdd(light[k + 2u], amount.b);
            if (amount.a > 0u) atomicAdd(light[k + 3u], amount.a);
        }
    }
    barrier();

    // only the rows the workgroup touched go to the buffer: one for a scattered swarm, the
    // stroke's neighbourhood for a formed face
    uint rows = used_rows;
    uint first = uint(findLSB(rows)), count = rows == 0u ? 0u : uint(findMSB(rows)) - first + 1u;
    for (uint n = lane; n < count * uint(TILE) * 4u; n += gl_WorkGroupSize.x) {
        uint cell = n / 4u;
        ivec2 local = ivec2(cell % uint(TILE), first + cell / uint(TILE));
        uint value = tile[uint(local.y * TILE + local.x) * 4u + n % 4u];
        if (value == 0u) continue;
        ivec2 at = tile_origin + local;
        atomicAdd(light[uint(at.y * u_pixels.x + at.x) * 4u + n % 4u], value);
    }
}
