#version 430
// One mote of dust from gl_VertexID alone: a home of its own that drifts slowly and wraps
// around a margin outside the frame, seen through the virtual camera at its depth
// (core/camera.py): the first u_front are near, large and soft; the rest far and fine.
#include "common/hash.glsl"

uniform float u_time;
uniform int u_seed;
uniform float u_aspect;
uniform float u_height;  // of the target, in pixels
uniform int u_front;     // how many near motes come first
uniform vec3 u_near;     // the camera at the near dust's depth: p is seen at (p - xy) * z
uniform vec3 u_far;      // and at the far dust's
uniform float u_light;   // the dust's light (swarm.dust times the swarm's brightness)
uniform vec3 u_core;     // the palette, in linear light
uniform vec3 u_edge;

out vec3 v_light;
out float v_rim;  // a near mote's brighter rim, as a lens's bokeh has

void main() {
    int i = gl_VertexID;
    bool near = i < u_front;
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
