/*{
    "DESCRIPTION": "Bioluminescent cells: drifting membranes that glow where cells meet, nuclei pulsing inside.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "size", "TYPE": "float", "DEFAULT": 0.22, "MIN": 0.03, "MAX": 1.0, "LABEL": "size of a cell, as a share of the height"},
        {"NAME": "drift", "TYPE": "float", "DEFAULT": 0.25, "MIN": 0.0, "MAX": 3.0, "LABEL": "how fast the cells wander"},
        {"NAME": "membrane", "TYPE": "float", "DEFAULT": 0.06, "MIN": 0.005, "MAX": 0.4, "LABEL": "thickness of the glowing walls"},
        {"NAME": "pulse", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 4.0, "LABEL": "heartbeats of the nuclei per second"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.9, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the cells"},
        {"NAME": "wall_colour", "TYPE": "color", "DEFAULT": [0.2, 1.0, 0.75, 1.0], "LABEL": "colour of the membranes"},
        {"NAME": "nucleus_colour", "TYPE": "color", "DEFAULT": [0.85, 0.4, 1.0, 1.0], "LABEL": "colour of the nuclei"}
    ]
}*/
// Worley's cellular noise ("A Cellular Texture Basis Function", SIGGRAPH 1996): the gap
// between the nearest and second-nearest feature points (F2 - F1) is zero on a cell's
// wall, so a falloff from it draws glowing membranes; F1 places a nucleus in each cell.
#include "common/hash.glsl"
#include "common/colour.glsl"

void main() {
    vec2 p = (isf_FragNormCoord - 0.5) * RENDERSIZE / RENDERSIZE.y / size;
    ivec2 cell = ivec2(floor(p));
    float f1 = 8.0, f2 = 8.0;
    vec3 nearest = vec3(0.0);
    for (int y = -1; y <= 1; ++y) {
        for (int x = -1; x <= 1; ++x) {
            ivec2 c = cell + ivec2(x, y);
            vec3 h = hash33(ivec3(c, NEOTERRA_SEED));
            vec2 wander = 0.5 + 0.38 * vec2(sin(TIME * drift * (0.6 + h.z) + 6.2831853 * h.x),
                                           cos(TIME * drift * (0.5 + h.x) + 6.2831853 * h.y));
            float d = length(vec2(c) + wander - p);
            if (d < f1) { f2 = f1; f1 = d; nearest = h; }
            else if (d < f2) { f2 = d; }
        }
    }
    float wall = exp(-(f2 - f1) / membrane);
    float beat = pow(0.5 + 0.5 * sin(TIME * pulse * 6.2831853 + 6.2831853 * nearest.z), 3.0);
    float nucleus = exp(-f1 * f1 * 60.0) * (0.4 + 1.6 * beat);
    float body = 0.06 * (1.0 - f1) * nearest.y;

    vec3 light = srgb_to_linear(wall_colour.rgb) * (wall * (0.6 + 0.4 * nearest.x) + body)
               + srgb_to_linear(nucleus_colour.rgb) * nucleus;
    gl_FragColor = vec4(light * brightness, 1.0);
}
