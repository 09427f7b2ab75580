/*{
    "DESCRIPTION": "Threads of a tapestry: warp and weft woven over and under, each thread carrying slow pulses of light.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "density", "TYPE": "float", "DEFAULT": 18.0, "MIN": 2.0, "MAX": 80.0, "LABEL": "threads across the height"},
        {"NAME": "waviness", "TYPE": "float", "DEFAULT": 0.35, "MIN": 0.0, "MAX": 2.0, "LABEL": "how far the threads wander"},
        {"NAME": "pulse_speed", "TYPE": "float", "DEFAULT": 0.4, "MIN": 0.0, "MAX": 4.0, "LABEL": "speed of the light running along the threads"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.8, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the threads"},
        {"NAME": "warp_colour", "TYPE": "color", "DEFAULT": [1.0, 0.55, 0.3, 1.0], "LABEL": "colour of the upright threads"},
        {"NAME": "weft_colour", "TYPE": "color", "DEFAULT": [0.3, 0.75, 1.0, 1.0], "LABEL": "colour of the crossing threads"}
    ]
}*/
// Each family of threads is a repeating soft line profile over a coordinate bent by
// low-frequency noise; a checkerboard of thread cells decides which family lies on top
// (a plain weave), and the one underneath is shaded where it passes below.
#include "common/noise.glsl"
#include "common/colour.glsl"

float thread(float coordinate, out float index) {
    index = floor(coordinate);
    float across = abs(fract(coordinate) - 0.5) * 2.0;  // 0 at the thread's middle
    return pow(clamp(1.0 - across, 0.0, 1.0), 6.0);
}

void main() {
    vec2 p = (isf_FragNormCoord - 0.5) * RENDERSIZE / RENDERSIZE.y;
    float t = TIME;
    vec3 seed = vec3(float(NEOTERRA_SEED % 997) * 0.37);
    vec2 bend = waviness * 0.2 * vec2(fbm(vec3(p * 1.3, 0.05 * t) + seed, 3), fbm(vec3(p * 1.3 + 7.1, 0.05 * t) + seed, 3));
    vec2 q = (p + bend) * density;

    float warp_index, weft_index;
    float warp = thread(q.x, warp_index);
    float weft = thread(q.y, weft_index);
    bool warp_on_top = mod(warp_index + weft_index, 2.0) < 1.0;
    float shade_warp = warp_on_top ? 1.0 : 0.35;
    float shade_weft = warp_on_top ? 0.35 : 1.0;

    // light runs along each thread, every thread at its own pace
    float warp_pulse = 0.35 + 0.65 * pow(0.5 + 0.5 * sin(q.y * 0.35 - t * pulse_speed * (2.0 + fract(warp_index * 0.618) * 3.0) + warp_index), 8.0);
    float weft_pulse = 0.35 + 0.65 * pow(0.5 + 0.5 * sin(q.x * 0.35 + t * pulse_speed * (2.0 + fract(weft_index * 0.754) * 3.0) + weft_index * 1.7), 8.0);
    float fade = 0.55 + 0.45 * fbm(vec3(p * 0.8, 0.03 * t) + seed.zxy, 2);

    vec3 light = srgb_to_linear(warp_colour.rgb) * warp * shade_warp * warp_pulse
               + srgb_to_linear(weft_colour.rgb) * weft * shade_weft * weft_pulse;
    gl_FragColor = vec4(light * brightness * fade, 1.0);
}
