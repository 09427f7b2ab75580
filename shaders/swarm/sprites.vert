#version 430
// Each bot a point sprite, read straight from the storage buffers (no vertex buffer).
// Colour from the show's palette: core to edge along the stroke, drifting in hue,
// flaring to the spark colour as the bot speeds.
#include "swarm/bot.glsl"
#include "common/colour.glsl"
#include "common/hash.glsl"

layout(std430, binding = BOTS_BINDING) readonly buffer Bots { Bot bots[]; };
layout(std430, binding = COLOURS_BINDING) readonly buffer Colours { vec4 colours[]; };

uniform float u_aspect;
uniform float u_point_px;   // sprite diameter in pixels
uniform float u_light;      // light of one bot times its area in pixels, shared out over the swarm
uniform float u_time;
uniform float u_hue_turn;   // hue rotation now, in turns
uniform vec3 u_core;
uniform vec3 u_edge;
uniform vec3 u_spark;
uniform float u_fault_colour;   // a share of bots with corrupted colour
uniform float u_fault_flicker;  // a share of dead bots blinking
uniform float u_fault_embrace;  // damage glows, in the spark colour, instead of dimming
uniform int u_fault_seed;

out vec3 v_light;

// Hue rotation about the grey axis (Rodrigues' rotation of the RGB cube).
vec3 turn_hue(vec3 c, float turns) {
    const vec3 k = vec3(0.57735);
    float a = turns * 6.2831853;
    return c * cos(a) + cross(k, c) * sin(a) + k * dot(k, c) * (1.0 - cos(a));
}

void main() {
    Bot b = bots[gl_VertexID];
    vec4 c = colours[gl_VertexID];
    gl_Position = vec4(b.pos.x / u_aspect, b.pos.y, 0.0, 1.0);
    // Below 1.5 pixels a sprite is one pixel whatever its size, so it is kept at 1.5 and its
    // light divided by the area it really covers: the glow does not change with resolution.
    float size = max(u_point_px * (0.65 + 0.7 * c.y), 1.5);
    gl_PointSize = size;

    float along = abs(fract(c.x * 0.8 + c.y * 0.2) * 2.0 - 1.0);
    vec3 hue = max(turn_hue(mix(srgb_to_linear(u_core), srgb_to_linear(u_edge), smoothstep(0.15, 0.85, along)), u_hue_turn + c.y * 0.06), 0.0);
    float speed = length(b.vel);
    vec3 colour = mix(hue, srgb_to_linear(u_spark), 0.7 * smoothstep(0.5, 1.8, speed));
    float twinkle = 0.7 + 0.3 * sin(6.2831853 * (b.phase * 13.0 + u_time * (0.4 + b.phase)));
    if (u_fault_colour > 0.0 && hash33(ivec3(gl_VertexID, 71, 0)).x < u_fault_colour) {
        colour = max(vec3(1.0) - colour.gbr, 0.0) * 2.5 + colour.brg;  // channels crossed, glaring
    }
    float hurt = 1.0 - b.health;
    float alive = u_fault_flicker > 0.0 && hash33(ivec3(gl_VertexID, u_fault_seed, 72)).x < u_fault_flicker * 0.8 ? 0.0 : 1.0;
    float shown = mix(max(b.health, 0.3), 1.0 + 5.0 * hurt, u_fault_embrace) * alive;  // hurt bots dim, or glow when embraced
    colour = mix(colour, srgb_to_linear(u_spark) * 1.5, u_fault_embrace * hurt);
    v_light = colour * (u_light / (size * size) * c.w * twinkle * shown);
}
