#version 430
// One mote of dust from gl_VertexID alone: a home of its own that drifts slowly and wraps
// around a margin outside the frame, seen through the virtual camera at its depth
// (core/camera.py): the first u_front are near, large and soft; the next u_behind far and fine.
// The rest are the room's spare bots on the swarm's plane, drifting in loose schools that part
// round the face (u_parting) and fade out long before it (streaming() below), so the room moves
// once a face has formed and never crosses it. On a wall they flow instead along threads from
// each face to its near neighbours (u_threaded): a gentle arc from rim to rim, with pulses of
// light travelling along it.
#include "common/hash.glsl"

uniform float u_time;
uniform int u_seed;
uniform float u_aspect;
uniform float u_height;  // of the target, in pixels
uniform int u_front;     // how many near motes come first
uniform int u_behind;    // then how many far specks; the rest drift in the streams
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

const int SCHOOLS = 22;       // schools of the room's spare bots, each at a height and a pace of its own
const int THREAD = 240;       // specks along a thread: swarm/dust.py
const float RIM = 0.95;       // a face's ink reaches about this many scales from its centre (swarm/gathering.py INK_WIDE)
const float FACE_WIDTH = 2.0 * RIM / 1.2;  // a face's width in parting radii (swarm/gathering.py PARTING)
const float HUSHED = 1.2, CLEAR = 2.4;  // the schools are dark within 1.2 face-widths of its centre and full only 2.4 away:
                                        // they fade out long before the face, which sits in a wide, quiet room

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
    if (i >= u_front + u_behind + u_streaming) {
        float shown;
        vec3 colour;
        float along;
        vec2 p = threading(i - u_front - u_behind - u_streaming, shown, colour, along);
        gl_Position = vec4((p - u_plane.xy) * u_plane.z / vec2(u_aspect, 1.0), 0.0, 1.0);
        gl_PointSize = max(1.8 * u_height / 1080.0, 1.0);
        v_light = colour * (u_light * u_streams * shown * min(along / float(THREAD), 1.0));
        v_rim = 0.0;
        return;
    }
    bool near = i < u_front;
    if (i >= u_front + u_behind) {
        float shown;
        vec3 colour;
        vec2 p = streaming(i - u_front - u_behind, shown, colour);
        gl_Position = vec4((p - u_plane.xy) * u_plane.z / vec2(u_aspect, 1.0), 0.0, 1.0);
        float size = 1.8 * u_height / 1080.0;  // a speck's light falls with its size, so a stream reads the same at any size
        gl_PointSize = max(size, 1.0);
        v_light = colour * (0.4 * u_light * u_streams * shown * min(size, 1.0));
        v_rim = 0.0;
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
