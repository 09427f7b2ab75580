/*{
    "DESCRIPTION": "Bioluminescent cells: single cells of different sizes drifting through the dark, a glowing membrane and a pulsing nucleus each.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "size", "TYPE": "float", "DEFAULT": 0.22, "MIN": 0.03, "MAX": 1.0, "LABEL": "size of a cell, as a share of the height"},
        {"NAME": "drift", "TYPE": "float", "DEFAULT": 0.25, "MIN": 0.0, "MAX": 3.0, "LABEL": "how fast the cells wander"},
        {"NAME": "membrane", "TYPE": "float", "DEFAULT": 0.06, "MIN": 0.005, "MAX": 0.4, "LABEL": "thickness of the glowing walls"},
        {"NAME": "pulse", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 4.0, "LABEL": "heartbeats of the nuclei per second"},
        {"NAME": "population", "TYPE": "float", "DEFAULT": 0.35, "MIN": 0.0, "MAX": 1.0, "LABEL": "share of the water holding a cell"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.9, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the cells"},
        {"NAME": "wall_colour", "TYPE": "color", "DEFAULT": [0.2, 1.0, 0.75, 1.0], "LABEL": "colour of the membranes"},
        {"NAME": "nucleus_colour", "TYPE": "color", "DEFAULT": [0.85, 0.4, 1.0, 1.0], "LABEL": "colour of the nuclei"}
    ]
}*/
// Scattered cells, not a tiling: a jittered grid (as in Worley's cellular noise, SIGGRAPH 1996)
// holds at most one cell per square, and only a `population` share of the squares hold one.
// Each cell is a disc of its own radius whose outline wobbles (two slow sines round it); its membrane glows
// in a thin rim, its body faintly, its nucleus pulses. Cells never touch, so no network of
// walls (a chain-link fence) forms.
#include "common/hash.glsl"
#include "common/noise.glsl"
#include "common/colour.glsl"
#include "murals/camera.glsl"

void main() {
    vec2 p = mural_point() / size;
    p += 0.25 * vec2(gradient_noise(vec3(p * 0.35, TIME * drift * 0.1)), gradient_noise(vec3(p * 0.35 + 9.1, TIME * drift * 0.1)));
    ivec2 cell = ivec2(floor(p));
    float rim = 0.0, body = 0.0, nucleus = 0.0;
    for (int y = -1; y <= 1; ++y) {
        for (int x = -1; x <= 1; ++x) {
            ivec2 c = cell + ivec2(x, y);
            vec3 h = hash33(ivec3(c, NEOTERRA_SEED));
            if (h.z > population) continue;
            float radius = 0.16 + 0.2 * fract(h.x * 7.3 + h.y * 3.1);
            vec2 wander = 0.5 + (0.48 - radius) * vec2(sin(TIME * drift * (0.6 + h.z) + 6.2831853 * h.x),
                                                       cos(TIME * drift * (0.5 + h.x) + 6.2831853 * h.y));
            vec2 d = p - (vec2(c) + wander);
            float angle = atan(d.y, d.x + 1e-6), slow = TIME * drift * 0.4;
            float wobble = 1.0 + 0.07 * sin(3.0 * angle + slow + 6.2831853 * h.y) + 0.04 * sin(5.0 * angle - 1.3 * slow + 6.2831853 * h.x);
            float r = length(d) / (radius * wobble);  // 1 on the membrane
            float beat = pow(0.5 + 0.5 * sin(TIME * pulse * 6.2831853 + 6.2831853 * h.z * 3.0), 3.0);
            rim = max(rim, exp(-abs(r - 1.0) * radius / membrane) * (0.5 + 0.5 * h.y));
            body = max(body, smoothstep(1.0, 0.3, r) * 0.08);
            nucleus = max(nucleus, exp(-r * r * 30.0) * (0.3 + 1.2 * beat));
        }
    }
    vec3 light = srgb_to_linear(wall_colour.rgb) * (rim + body) + srgb_to_linear(nucleus_colour.rgb) * nucleus;
    gl_FragColor = vec4(light * brightness, 1.0);
}
