/*{
    "DESCRIPTION": "Threads of a tapestry: a loose weave of long threads crossing on the slant, each coming and going along its length and carrying slow pulses of light.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "density", "TYPE": "float", "DEFAULT": 4.5, "MIN": 2.0, "MAX": 80.0, "LABEL": "threads across the height"},
        {"NAME": "waviness", "TYPE": "float", "DEFAULT": 1.2, "MIN": 0.0, "MAX": 2.0, "LABEL": "how far the threads wander"},
        {"NAME": "pulse_speed", "TYPE": "float", "DEFAULT": 0.4, "MIN": 0.0, "MAX": 4.0, "LABEL": "speed of the light running along the threads"},
        {"NAME": "presence", "TYPE": "float", "DEFAULT": 0.45, "MIN": 0.0, "MAX": 1.0, "LABEL": "share of each thread's length that is woven in"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.8, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the threads"},
        {"NAME": "warp_colour", "TYPE": "color", "DEFAULT": [1.0, 0.55, 0.3, 1.0], "LABEL": "colour of the threads rising to the right"},
        {"NAME": "weft_colour", "TYPE": "color", "DEFAULT": [0.3, 0.75, 1.0, 1.0], "LABEL": "colour of the threads falling to the right"}
    ]
}*/
// Two families of threads on the slant (about 35 degrees either side of level), each a thin
// line profile over a coordinate bent by low-frequency noise, so neighbours drift apart and
// together. Each thread is woven in only along part of its length (noise along it, its own
// phase), so the weave is loose and unfinished, not a screen; where two cross, the one beneath
// is shaded, as in a plain weave.
#include "common/noise.glsl"
#include "common/colour.glsl"
#include "murals/camera.glsl"

float thread(float coordinate, out float index) {
    index = floor(coordinate);
    float across = abs(fract(coordinate) - 0.5) * 2.0;  // 0 at the thread's middle
    return pow(clamp(1.0 - across, 0.0, 1.0), 14.0);
}

float woven(float index, float along, float t, float seed) {
    float phase = fract(sin(index * 12.9898 + seed) * 43758.5453) * 40.0;
    float here = 0.5 + 0.9 * gradient_noise(vec3(along * 0.5 + phase, index * 0.37, 0.04 * t));  // about 0..1 along it
    return smoothstep(0.9 - presence, 1.1 - presence, here);
}

void main() {
    vec2 p = mural_point();
    float t = TIME;
    vec3 seed = vec3(float(NEOTERRA_SEED % 997) * 0.37);
    vec2 bend = waviness * 0.12 * vec2(fbm(vec3(p * 1.1, 0.04 * t) + seed, 3), fbm(vec3(p * 1.1 + 7.1, 0.04 * t) + seed, 3));
    vec2 rising = vec2(0.82, 0.57), falling = vec2(0.82, -0.57);  // the two slants
    vec2 across = vec2(dot(p + bend, vec2(-rising.y, rising.x)), dot(p - bend.yx, vec2(-falling.y, falling.x))) * density;
    vec2 along = vec2(dot(p, rising), dot(p, falling)) * density;

    float warp_index, weft_index;
    float warp = thread(across.x, warp_index) * woven(warp_index, along.x, t, seed.x);
    float weft = thread(across.y + 0.5, weft_index) * woven(weft_index + 101.0, along.y, t, seed.x);
    bool warp_on_top = mod(floor(along.x * 0.5) + floor(along.y * 0.5), 2.0) < 1.0;
    float shade_warp = warp_on_top ? 1.0 : mix(1.0, 0.3, weft);
    float shade_weft = warp_on_top ? mix(1.0, 0.3, warp) : 1.0;

    // light runs along each thread, every thread at its own pace
    float warp_pulse = 0.3 + 0.7 * pow(0.5 + 0.5 * sin(along.x * 0.5 - t * pulse_speed * (2.0 + fract(warp_index * 0.618) * 3.0) + warp_index), 6.0);
    float weft_pulse = 0.3 + 0.7 * pow(0.5 + 0.5 * sin(along.y * 0.5 + t * pulse_speed * (2.0 + fract(weft_index * 0.754) * 3.0) + weft_index * 1.7), 6.0);

    vec3 light = srgb_to_linear(warp_colour.rgb) * warp * shade_warp * warp_pulse
               + srgb_to_linear(weft_colour.rgb) * weft * shade_weft * weft_pulse;
    gl_FragColor = vec4(light * brightness, 1.0);
}
