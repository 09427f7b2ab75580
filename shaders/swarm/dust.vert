#version 430
// One mote of dust from gl_VertexID alone: a home of its own that drifts slowly and wraps
// around a margin outside the frame, seen through the virtual camera at its depth
// (core/camera.py): the first u_front are near, large and soft; the next u_behind far and fine.
// The rest are the room's spare bots on the swarm's plane, drifting in loose schools that part
// round the face (u_parting) and fade out long before it (streaming() below), so the room moves
// once a face has formed and never crosses it. On a wall they flow instead along threads from
// each face to its near neighbours (u_threaded): a gentle arc from rim to rim, with pulses of
// light travelling along it. A warm room (swarm.embers) sends a few of its spare bots up as
// embers (ember() below): sparks that rise slowly from the floor, glow and go out, round the face.
#include "common/hash.glsl"

uniform float u_time;
uniform int u_seed;
uniform float u_aspect;
uniform float u_height;  // of the target, in pixels
uniform int u_front;     // how many near motes come first
uniform int u_behind;    // then how many far specks; then how many embers rise (u_embers);
                         // the rest drift in the streams
uniform int u_embers;
uniform float u_ember;   // an ember's light at its brightest (swarm.embers; a face's stroke is about 1)
uniform vec3 u_near;     // the camera at the near dust's depth: p is seen at (p - xy) * z
uniform vec3 u_far;      // and at the far dust's
uniform vec3 u_plane;    // and at the swarm's plane, where the streams are
uniform vec3 u_parting;  // the face the streams part round: centre and radius, frame units (radius 0: no streams)
uniform int u_streaming; // how many specks drift in the streams; the rest are the threads'
uniform vec3 u_threaded[24];  // the faces the threads join: centre and scale (swarm/dust.py MOST_THREADED)
uniform int u_threaded_count;
uniform float u_light;   // the dust's light (swarm.dust times the swarm's brightness)
uniform float u_streams; // and the streams' and threads' share of it (swarm.streams)
uniform vec3 u_core;     // the palette, in linear light
uniform vec3 u_edge;

out vec3 v_light;
out float v_rim;  // a near mote's brighter rim, as a lens's bokeh has
out float v_ember; // an ember's size in pixels (0: no ember), for its glow in dust.frag

const int SCHOOLS = 22;       // schools of the room's spare bots, each at a height and a pace of its own
const int THREAD = 240;       // specks along a thread: swarm/dust.py
const float RIM = 0.95;       // a face's ink reaches about this many scales from its centre (swarm/gathering.py INK_WIDE)
const float FACE_WIDTH = 2.0 * RIM / 1.2;  // a face's width in parting radii (swarm/gathering.py PARTING)
const float HUSHED = 1.2, CLEAR = 2.4;  // the schools are dark within 1.2 face-widths of its centre and full only 2.4 away:
                                        // they fade out long before the face, which sits in a wide, quiet room
const float EMBERS_HUSHED = 0.75, EMBERS_CLEAR = 1.25;  // an ember goes out within 0.75 face-widths of its centre, just
                                                       // past its ink, and glows fully from 1.25: round the face, not on it
const vec3 EMBER_HOT = vec3(1.0, 0.16, 0.03);   // an ember's colour as it kindles (linear light: a red-orange seen near 18
const vec3 EMBER_COOL = vec3(0.5, 0.03, 0.015); // degrees, well clear of gold's 45), and as it cools, dimmer and redder
const float EMBER_SMALL = 16.0, EMBER_LARGE = 44.0;  // an ember's glow across, in pixels of a 1080-line frame: most small,
                                                     // a few large (4 to 11 pixels at 480x270: 1 pixel went unseen)

// A speck of a school: where it is on the swarm's plane, and how much of its light shows. A school is a loose,
// soft cloud (two hashes summed, denser at its heart), not a row: it drifts at its own pace along a path that
// meanders, climbs or falls, and parts round the face as a streamline of potential flow past a cylinder
// (ψ = y (1 - R²/r²), Milne-Thomson, "Theoretical Hydrodynamics", solved for y by a few fixed-point steps);
// each speck wheels slowly round its place in the school, so the school churns as it goes (a murmuration's life).
vec2 streaming(int j, out float shown, out vec3 colour) {
    int school = j % SCHOOLS;
    vec3 h = hash33(ivec3(j, u_seed, 93));
    vec3 k = hash33(ivec3(j, u_seed, 97));
    vec3 g = hash33(ivec3(school, u_seed, 94));
    vec3 f = hash33(ivec3(school, u_seed, 98));
    float away = (g.x * 2.0 - 1.0) * 1.05 - u_parting.y;  // the school's height far from the face, from the face's
    float way = away > 0.0 ? 1.0 : -1.0;  // above the face the current runs one way, below the other: round it
    float span = u_aspect + 0.6;
    float along = (h.x + k.x - 1.0) * (0.2 + 0.35 * f.x);
    float across = (h.y + k.y - 1.0) * (0.04 + 0.08 * f.y);
    float turn = 6.2831853 * (h.z + u_time * (0.04 + 0.1 * k.y) * (k.z > 0.5 ? 1.0 : -1.0));
    vec2 wheel = 0.015 * (0.5 + h.z) * vec2(cos(turn), sin(turn));
    float x = mod((g.z * 2.0 - 1.0) * span + along + wheel.x + way * (0.015 + 0.045 * g.y) * u_time + span, 2.0 * span) - span;
    float path = away + across + wheel.y + (f.z - 0.5) * 0.3 * x
               + (0.04 + 0.1 * f.z) * sin((1.2 + 2.2 * g.y) * x + 0.2 * u_time * (f.x - 0.5) + 6.2831853 * f.y);
    path = way * max(way * path, 0.02);  // it meanders but keeps to its side of the face
    float r2 = u_parting.z * u_parting.z;
    float dx = x - u_parting.x, y = path + way * u_parting.z;
    for (int n = 0; n < 6; ++n) y = path + r2 * y / (dx * dx + y * y + 1e-4);  // ψ's streamline through `path`
    vec2 p = vec2(x, u_parting.y + y);
    float swell = 0.15 + 0.85 * smoothstep(0.2, 0.9, sin(6.2831853 * (g.x + u_time / (9.0 + 8.0 * g.y))));  // each school swells and ebbs
    float widths = length(p - u_parting.xy) / max(u_parting.z * FACE_WIDTH, 1e-4);  // face-widths from the face's centre
    shown = (0.15 + 0.85 * k.z * k.z * k.z) * swell * smoothstep(HUSHED, CLEAR, widths);  // a few bright among many faint
    colour = mix(u_core, u_edge, g.x);
    return p;
}

// An ember: one of the room's spare bots rising slowly from the floor as a warm spark, then going out. Each lives
// 6 to 11 s and rises again from a new place; it kindles in a second, cools and fades as it climbs, sways a little,
// and flickers as embers do, but softly and slowly (two sines of 0.4 to 1.8 Hz: nothing faster than 2 Hz). It rises
// round the face as the schools flow round it (the same streamline past a cylinder, here upwards) and goes out
// before reaching it. Each is a size of its own, most small and a few large (`across`, pixels of a 1080-line frame).
vec2 ember(int j, out float shown, out vec3 colour, out float across) {
    vec3 g = hash33(ivec3(j, u_seed, 99));
    float life = 6.0 + 5.0 * g.x;
    float lived = u_time / life + g.y;
    float age = fract(lived);
    vec3 h = hash33(ivec3(j, int(floor(lived)), u_seed * 7 + 101));  // each life rises from a place of its own
    float seconds = age * life;
    float rise = (0.04 + 0.05 * h.z) * seconds;  // frame units (a frame's height is 2): slowly, a third of it at most
    float x = (h.x * 2.0 - 1.0) * (u_aspect + 0.05) + 0.05 * sin(6.2831853 * (0.12 + 0.1 * g.z) * seconds + 6.2831853 * h.y) * age;
    float y = -1.02 + 0.7 * h.y * h.y + rise;  // most kindle low, near the floor
    if (u_parting.z > 0.0) {  // parting round the face: x solved for the streamline past it through x's line far below
        float r2 = u_parting.z * u_parting.z, across = x - u_parting.x, dy = y - u_parting.y;
        float side = across >= 0.0 ? 1.0 : -1.0;
        float far = side * max(side * across, 0.02), near = far + side * u_parting.z;
        for (int n = 0; n < 6; ++n) near = far + r2 * near / (near * near + dy * dy + 1e-4);
        x = u_parting.x + near;
    }
    vec2 p = vec2(x, y);
    across = mix(EMBER_SMALL, EMBER_LARGE, h.y * h.z * h.z);
    float reach = across / 1080.0;  // its glow's radius, frame units (a frame's height is 2): the glow too stays off the face
    float widths = u_parting.z > 0.0 ? (length(p - u_parting.xy) - reach) / (u_parting.z * FACE_WIDTH) : EMBERS_CLEAR;
    float flicker = 0.62 + 0.24 * sin(6.2831853 * ((0.4 + 0.8 * h.y) * u_time + g.z))
                         + 0.14 * sin(6.2831853 * ((1.2 + 0.6 * h.z) * u_time + h.x));
    shown = smoothstep(0.0, 0.15, age) * (1.0 - smoothstep(0.3, 1.0, age)) * flicker
          * smoothstep(EMBERS_HUSHED, EMBERS_CLEAR, widths);
    colour = mix(EMBER_HOT, EMBER_COOL, smoothstep(0.1, 0.9, age));
    return p;
}

// A speck of a thread between two faces of a wall: where it is, and how much of its light shows
// (none where the two are not neighbours, or stand too near for a thread between their rims).
vec2 threading(int j, out float shown, out vec3 colour, out float along) {
    int pair = j / THREAD;
    int b = int(floor((1.0 + sqrt(1.0 + 8.0 * float(pair))) * 0.5));
    int a = pair - b * (b - 1) / 2;
    vec3 one = u_threaded[a], other = u_threaded[b];
    vec2 gap = other.xy - one.xy;
    float apart = length(gap);
    vec2 way = gap / max(apart, 1e-4);
    vec2 from = one.xy + way * one.z * RIM, to = other.xy - way * other.z * RIM;
    float span = dot(to - from, way);
    vec3 h = hash33(ivec3(j, u_seed, 95));
    vec3 g = hash33(ivec3(pair, u_seed, 96));
    float s = fract(h.x + (g.y - 0.5) * 0.06 * u_time / max(span, 0.05));  // specks flow along, each thread its own way
    float bend = (g.x - 0.5) * 0.4 * span * 4.0 * s * (1.0 - s);  // a gentle arc, not a ruler's line
    vec2 across = vec2(-way.y, way.x);
    float sway = 0.05 * span * sin(3.14159265 * s) * sin(6.2831853 * (0.1 * u_time + g.z));  // it sways slowly
    vec2 p = mix(from, to, s) + across * (bend + sway + (h.y - 0.5) * 0.006);
    float pulse = 0.35 + 0.65 * smoothstep(0.7, 1.0, sin(6.2831853 * (s * 1.5 - u_time * 0.12 + g.z)));
    float swell = 0.5 + 0.5 * smoothstep(0.0, 0.8, sin(6.2831853 * (g.z + u_time / (11.0 + 7.0 * g.y))));
    bool neighbours = b < u_threaded_count && apart < 1.35 * (one.z + other.z) && span > 0.04;  // side by side, over no other face
    shown = neighbours ? sqrt(sin(3.14159265 * s)) * pulse * swell : 0.0;
    colour = mix(u_core, u_edge, s);
    along = span * u_height * 0.5;  // the thread's length in pixels: its specks share one light however many crowd a pixel
    return p;
}

void main() {
    int i = gl_VertexID;
    int loose = u_front + u_behind + u_embers;  // the streams' and threads' specks come after these
    if (i >= loose + u_streaming) {
        float shown;
        vec3 colour;
        float along;
        vec2 p = threading(i - loose - u_streaming, shown, colour, along);
        gl_Position = vec4((p - u_plane.xy) * u_plane.z / vec2(u_aspect, 1.0), 0.0, 1.0);
        gl_PointSize = max(1.8 * u_height / 1080.0, 1.0);
        v_light = colour * (u_light * u_streams * shown * min(along / float(THREAD), 1.0));
        v_rim = 0.0;
        v_ember = 0.0;
        return;
    }
    bool near = i < u_front;
    if (i >= u_front + u_behind) {
        float shown;
        vec3 colour;
        bool rising = i < loose;
        float across = 1.8;  // a stream's speck, pixels of a 1080-line frame
        vec2 p = rising ? ember(i - u_front - u_behind, shown, colour, across) : streaming(i - loose, shown, colour);
        gl_Position = vec4((p - u_plane.xy) * u_plane.z / vec2(u_aspect, 1.0), 0.0, 1.0);
        float size = across * u_height / 1080.0;  // a speck's light falls with its size, so it reads the same at any size;
        float whole = max(round(size), 1.0);      // an ember lights whole pixels, n x n of them, its light shared as its
        gl_PointSize = rising ? whole : max(size, 1.0);  // glow's area would be
        v_light = colour * (shown * (rising ? u_ember * min(size * size, whole * whole) / (whole * whole)
                                            : 0.4 * u_light * u_streams * min(size, 1.0)));
        v_rim = 0.0;
        v_ember = rising ? whole : 0.0;
        return;
    }
    vec3 h = hash33(ivec3(i, u_seed, 91));
    vec3 g = hash33(ivec3(i, u_seed, 92));
    vec2 span = vec2(u_aspect, 1.0) + 0.3;
    vec2 drift = (g.xy - 0.5) * (near ? 0.05 : 0.02) + vec2(0.0, near ? 0.01 : 0.006);
    vec2 p = mod((h.xy * 2.0 - 1.0) * span + drift * u_time + span, 2.0 * span) - span;
    vec3 camera = near ? u_near : u_far;
    gl_Position = vec4((p - camera.xy) * camera.z / vec2(u_aspect, 1.0), 0.0, 1.0);
    float breathe = 0.6 + 0.4 * sin(6.2831853 * (h.z + u_time / (7.0 + 9.0 * g.z)));
    v_ember = 0.0;
    if (near) {
        gl_PointSize = (40.0 + 60.0 * h.z) * u_height / 1080.0;
        v_light = mix(u_edge, u_core, 0.3 * g.z) * (0.025 * u_light * breathe);
        v_rim = 1.0;
    } else {
        float size = (1.2 + 1.6 * g.z) * u_height / 1080.0;
        gl_PointSize = max(size, 1.0);
        v_light = mix(u_core, u_edge, h.z) * (0.25 * u_light * breathe * min(size * size, 1.0));
        v_rim = 0.0;
    }
}
