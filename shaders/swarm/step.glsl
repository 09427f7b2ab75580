// One simulation step. Each bot steers to its own target with an arrival behaviour
// (Reynolds, "Steering Behaviors for Autonomous Characters", GDC 1999): full speed
// far away, slowing inside a radius, so it settles into the stroke instead of
// overshooting. On the way it swings sideways, its own way, and rides the
// curl-noise currents (Bridson et al., "Curl-Noise for Procedural Fluid Flow",
// SIGGRAPH 2007), so a morph flows along curved paths, not straight lines.
// Steering is integrated exactly (exponential approach), so any step is stable.
layout(local_size_x = 256) in;
#include "swarm/bot.glsl"
#include "common/invocation.glsl"
#include "common/hash.glsl"
#include "swarm/pose.glsl"
#include "swarm/way.glsl"
#include "swarm/home.glsl"

layout(std430, binding = BOTS_BINDING) buffer Bots { Bot bots[]; };
layout(std430, binding = SAMPLES_BINDING) readonly buffer Samples { vec4 samples[]; };
#include "swarm/aim.glsl"
#include "swarm/fault_step.glsl"

uniform uint u_end;
uniform float u_dt;            // simulated seconds this step (already scaled by speed)
uniform float u_aspect;
uniform sampler2D u_currents;  // rg: large curl currents, ba: fine trembling eddies
uniform float u_visit_time;    // seconds since the swarm set off for this glyph
uniform float u_stagger;       // seconds over which bots leave for a new glyph
uniform float u_cohesion;      // how hard bots hold to their targets
uniform float u_flow;          // strength of the currents
uniform float u_tremble;       // restlessness of a settled bot
uniform float u_swing;         // how far bots swing sideways on their way
uniform float u_hold_back;     // 0..1: seeking suspended after a scatter
uniform vec2 u_centre;         // centre of the glyph being formed
uniform float u_burst;         // strength of a scatter burst this step
uniform vec3 u_pose;           // the face's life (swarm/life.py): blink, laugh, tender weights now
uniform vec3 u_pose_was;       // and at the last step
uniform uint u_pose_base;      // the face's first target sample
uniform float u_pose_scale;    // and its scale
uniform float u_residents;     // share of the bots staying on a wall's faces (swarm/home.glsl)
uniform int u_seed;
uniform uint u_count;

const float MAX_SPEED = 1.6;
const float ARRIVAL_RADIUS = 0.35;
const float DAMPING = 1.2;
const float EXCURSION = 1.6;   // seconds a bot spends swinging out at the start of its trip
const float MENDING = 2.0;     // health a second a gilded bot regains (0.5 any other)
uniform vec3 u_came_from;      // where the last face sat (centre, scale): the swarm flies from there as one flock,
uniform float u_flight;        // in this many seconds (swarm/swarm.py flight_seconds; 0: no flight)
const float LEAP = 0.3;        // how far a flight's arc bows out, against its length
const float CURL = 0.025;      // how far a strand loops off the flock's arc, frame units: a wobble, the outline kept
const float FLOCK = 1.5;       // how far from the flock's centre its bots are, in its face's scales (a head's ink reaches 1.06)

// A face moving to a new place flies there whole, as one flock (Reynolds, "Flocks, Herds and Schools",
// SIGGRAPH 1987: one shared heading), along one arc that leaps up and lands, so its outline reads all
// the way, and reshapes into the new face as it lands. How far through its flight the flock is, t seconds
// into the trip (1 once landed, and at once for a face in the same place):
float flown(float t) { return u_flight > 0.0 ? clamp(t / u_flight, 0.0, 1.0) : 1.0; }

// The flock's carrier t seconds into the trip: the face's centre (xy) and its scale against the new
// face's (z), eased in and out along the arc.
vec3 carrier(float t) {
    vec2 way = u_place.xy - u_came_from.xy;
    float far = length(way);
    float s = flown(t);
    float e = s * s * (3.0 - 2.0 * s);
    vec2 bow = far > 1e-4 ? vec2(-way.y, way.x) / far : vec2(0.0);
    bow *= bow.y < 0.0 ? -1.0 : 1.0;  // up: a leap
    return vec3(mix(u_came_from.xy, u_place.xy, e) + bow * LEAP * far * sin(3.14159265 * e), mix(u_came_from.z / u_place.z, 1.0, e));
}

// And a strand's own curl about it: a loop out and back, either way round, so the flock's paths
// curve each their own way, not in parallel (nothing on a short hop).
vec2 curl(float t, vec3 way) {
    float far = distance(u_place.xy, u_came_from.xy);
    float s = flown(t);
    float turn = 6.2831853 * (way.y + (way.x < 0.5 ? 1.0 : -1.0) * (2.0 + 2.0 * fract(way.x * 2.0)) * s);  // 2 to 4 loops
    return CURL * (0.4 + way.z) * min(far, 1.0) * sin(3.14159265 * s) * vec2(cos(turn), sin(turn));
}

void main() {
    uint i = invocation();
    if (i >= u_end) return;
    Bot bot = bots[i];
    vec2 pos = bot.pos;
    vec2 vel = unpackHalf2x16(bot.vel);
    vec3 life = life_of(bot.life);
    float phase = life.x, health = life.y, scar = life.z;
    float along = float(i) / float(u_count);
    // its own three random numbers, from its random phase: cheaper than hashing every step
    vec3 h = fract(phase * vec3(1.0, 97.13, 7919.7));
    // and its bead's and strand's (way.glsl): a morph reads as streams of beads, not a haze of dashes
    vec3 bead = bead_dice(i, u_count, u_sample_count, u_seed);
    vec3 way = way_of(i, u_count, bead);
    int stay = home_of(i, u_count, u_sample_count, u_residents, u_seed, u_pose_base);  // a wall's face it stays on (-1: none)

    // Faults cost nothing while they are off: each die is thrown only when its fault is on.
    vec2 target = unpackHalf2x16(bot.target);
    // Kintsugi: a gilded bot, healed, fills the crack of the face it was hurt on while that face is shown
    // (the one being formed; on a wall, with residents, any of its faces), so every hurt face keeps its seam
    // and a face no fault broke shows none. Its target is kept, so the light knows it has settled there.
    bool sealing = sealed(life);
    if (sealing) {
        vec3 home;
        uint crack_base;
        scar_home(scar, u_residents > 0.0, home, crack_base);
        target = crack_target(i, home, crack_base);
        bots[i].target = packHalf2x16(target);
    }
    // A living face: its targets move with its pose, and bots settled on them are carried
    // along at once, so a 0.15 s blink reads crisply instead of lagging behind the steering.
    vec2 posed = sealing ? vec2(0.0)
               : pose_offset(u_pose, u_pose_base, u_pose_scale, i, u_count, u_sample_count, stay >= 0);
    if (u_pose != u_pose_was && !sealing) {
        vec2 was = pose_offset(u_pose_was, u_pose_base, u_pose_scale, i, u_count, u_sample_count, stay >= 0);
        pos += (posed - was) * (1.0 - smoothstep(0.02, 0.08, distance(target + was, pos)));
    }
    target += posed;
    float power = 1.0;  // 0: a failed bot, falling with nothing steering it
    float held = 1.0;   // 0: a bot a scatter has thrown out, steering nowhere
#if FAULTS
    bool kept = feature(i, u_count, u_pose_base, u_sample_count);  // eyes and mouth stay lit
    if (!kept && swapped(along)) target = swapped_target(i, along, u_centre, u_aspect, u_seed, health, u_dt);
    if (!kept && thrown(along)) held = 0.0;
    if (!kept && failing(unpackHalf2x16(bot.target))) {
        health = min(health, 0.3 * (1.0 - u_fault_cascade));  // badly hurt: a scar where it breaks a seam
        power = 0.0;
    }
#endif
    float mending = scar_byte(scar) < WOUND ? MENDING : 0.5;  // everything heals, a gilded wound quicker: at 0.5 it took
    // 1.7 s, so calm's seam came as its face left (the rest keep their pace: the fallen's gold pool lasts)
    if (health < 1.0 && u_dt > 0.0) health = min(health + max(u_dt * mending, 1.0 / 255.0), 1.0);
#if FAULTS
    if (!kept && u_fault_stall > 0.0 && stalled(bot.pos, unpackHalf2x16(bot.target), stall_patch(u_pose_base, u_sample_count))) {  // frozen where they are, and hurt
        health = max(health - max(u_dt * 2.0, 1.0 / 255.0), 0.0);
        bots[i].vel = packHalf2x16(vec2(0.0));
        bots[i].life = pack_life(phase, health, scarred(i, health, scar, stay));
        return;
    }
#endif

    // The flock carries its bots (not the fallen, nor residents kept on a wall's other faces, nor those a wall's other
    // faces give the newcomer, which stream to it on their own) from one step's place on the arc to the next's; each
    // then steers to its point as the carrier holds it.
    bool resident = stay >= 0;
    vec3 here = carrier(u_visit_time);
    vec2 curled = curl(u_visit_time, way);
    if (power > 0.0 && !resident) {
        vec3 was = carrier(u_visit_time - u_dt);
        vec2 off = pos - was.xy - curl(u_visit_time - u_dt, way);
        if (length(off) < FLOCK * was.z * u_place.z) pos = here.xy + curled + off * (here.z / was.z);
        target = here.xy + curled + (target - u_place.xy) * here.z;
    }

    vec2 to = target - pos;
    float d = length(to);
    vec2 dir = d > 1e-6 ? to / d : vec2(0.0);
    float leave = way.x * u_stagger;
    float go = smoothstep(leave, leave + 0.5, u_visit_time) * (1.0 - u_hold_back) * power * held;
    if (!resident) go *= smoothstep(0.6, 1.0, flown(u_visit_time));  // aloft the face keeps its old outline

    // Sideways its strand's way while far off; and for a long trip a swing out and round that
    // rises and falls over the first seconds, so morphs curve. A short hop (the next face's
    // target near this one's: glyph.py's space_order) goes nearly straight: a swarm of
    // short hops all swinging at once reads as a tangle, not a face reshaping.
    float side = way.y * 2.0 - 1.0;
    vec2 across = vec2(-dir.y, dir.x);
    vec2 wanted = (dir + across * side * u_swing * smoothstep(0.05, 0.6, d)) * MAX_SPEED * min(d / ARRIVAL_RADIUS, 1.0);
    float trip = (u_visit_time - leave) / EXCURSION;
    float swing_out = trip > 0.0 && trip < 1.0 ? sin(3.14159265 * trip) * smoothstep(0.05, 0.35, d) : 0.0;
    vec2 outward = normalize(pos - here.xy + 1e-4);
    wanted += (across * sign(side) * (0.4 + way.z) + outward * 0.5) * u_swing * swing_out * MAX_SPEED * 0.5;
    vel = mix(wanted, vel, exp(-u_cohesion * go * (0.6 + 0.4 * health) * u_dt));  // the hurt are sluggish, yet come home as
    // strands: at a quarter of the pull, a cascade's fallen climbing back drifted in the currents as fog

    vec2 uv = pos / vec2(u_aspect, 1.0) * 0.5 + 0.5;
    vec4 currents = texture(u_currents, uv);
    float away = (0.08 + go * smoothstep(0.0, 0.5, d) + u_hold_back) * power;
    vec4 eddy = texture(u_currents, uv * 3.0 + mix(h.z, bead.z, smoothstep(0.01, 0.05, d)) * 7.0);  // on its way a bead trembles
    // whole, a dot, not a dash; settled, each bot its own way, a stroke's fine shimmer
    float restless = 0.4 * u_tremble * power * (sealing ? 0.2 : 1.0);  // a crack's gold is a still line
    vec2 accel = currents.xy * u_flow * away + eddy.zw * restless * (1.0 - smoothstep(0.0, 0.2, d) * go);
    accel += u_burst * normalize(outward + (bead.xy - 0.5) * 0.8) * (0.4 + bead.z) / max(u_dt, 1e-4);  // beads thrown, not a spray
    accel += vec2(3.0 * (h.y - 0.5), -FALL * (0.4 + 1.2 * h.z)) * (1.0 - power);  // each its own fall, fanning out: a rain of sparks, not a column
#if FAULTS
    if (held == 0.0) accel += throw_out(pos, vel, u_centre, bead, along, u_dt);  // each bead its own spark, whole
#endif

    vel = (vel + accel * u_dt) * exp(-DAMPING * u_dt * (1.0 - go * 0.8));
    pos += vel * u_dt;
#if FAULTS
    if (power == 0.0) land(pos, vel, i, u_dt);
#endif
    scar = scarred(i, health, scar, stay);
    if (sealing && scar_stage(scar) == GILDED && distance(pos, target) < SEAT && drawn(i, scar)) {
        scar = scar_of(SEATED | scar_glyph(scar));  // gold from here on, once the seam's front has come to it
    }
    bots[i].pos = pos;
    bots[i].vel = packHalf2x16(vel);
    bots[i].life = pack_life(phase, health, scar);
}
