/*{
    "DESCRIPTION": "Story ribbons: bands of light that flow across the wall, each written with lines like a page.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "ribbons", "TYPE": "long", "DEFAULT": 5, "MIN": 1, "MAX": 12, "LABEL": "how many ribbons"},
        {"NAME": "width", "TYPE": "float", "DEFAULT": 0.07, "MIN": 0.01, "MAX": 0.4, "LABEL": "width of a ribbon"},
        {"NAME": "flow", "TYPE": "float", "DEFAULT": 0.25, "MIN": 0.0, "MAX": 3.0, "LABEL": "how fast the ribbons flow"},
        {"NAME": "twist", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 4.0, "LABEL": "how much the ribbons turn over"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.9, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the ribbons"},
        {"NAME": "first_colour", "TYPE": "color", "DEFAULT": [1.0, 0.75, 0.35, 1.0], "LABEL": "colour of the first ribbon"},
        {"NAME": "last_colour", "TYPE": "color", "DEFAULT": [0.55, 0.35, 1.0, 1.0], "LABEL": "colour of the last ribbon"}
    ]
}*/
// Each ribbon's centre line is a sum of travelling sine waves; its width breathes with
// cos(twist) so it seems to turn over in space (narrow edge-on, wide face-on, and darker
// on its back). Fine stripes across its width are the lines of its story.
#include "common/hash.glsl"
#include "common/colour.glsl"
#include "murals/camera.glsl"

void main() {
    vec2 p = mural_point();  // seen through the virtual camera, behind the swarm
    vec3 light = vec3(0.0);
    for (int i = 0; i < 12; ++i) {
        if (i >= ribbons) break;
        vec3 h = hash33(ivec3(i, NEOTERRA_SEED, 29));
        float k = ribbons > 1 ? float(i) / float(ribbons - 1) : 0.5;
        float t = TIME * flow * (0.6 + 0.8 * h.x);
        float phase = 6.2831853 * h.y;
        float centre = (k - 0.5) * 1.3 + 0.18 * sin(p.x * (1.2 + h.z) + t + phase)
                     + 0.07 * sin(p.x * 3.1 - t * 1.7 + phase * 2.0);
        float turn = cos(p.x * (0.8 + h.z) * twist - t * 0.7 + phase);
        float half_width = width * (0.25 + 0.75 * abs(turn));
        float d = abs(p.y - centre) / half_width;
        float band = smoothstep(1.0, 0.7, d);
        float lines = 0.65 + 0.35 * smoothstep(0.2, 0.9, sin((p.y - centre) / half_width * 9.0 + p.x * 4.0));
        float edge = exp(-abs(d - 1.0) * 12.0) * 0.8;
        vec3 colour = mix(srgb_to_linear(first_colour.rgb), srgb_to_linear(last_colour.rgb), k);
        float face = turn > 0.0 ? 1.0 : 0.45;
        light += colour * (band * lines * face * 0.55 + edge + exp(-d * d * 0.15) * 0.05);
    }
    gl_FragColor = vec4(light * brightness, 1.0);
}
