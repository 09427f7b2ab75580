/*{
    "DESCRIPTION": "Threads of light between the faces: the level lines of the swarm's blurred light, which bridge faces that stand near each other and drift slowly outwards.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "source", "TYPE": "image", "LABEL": "whose light the threads join (presence: where the swarm's light is)"},
        {"NAME": "reach", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 4.0, "LABEL": "how far the threads reach from the faces"},
        {"NAME": "lines", "TYPE": "float", "DEFAULT": 3.0, "MIN": 1.0, "MAX": 12.0, "LABEL": "how many threads lie round the faces"},
        {"NAME": "flow", "TYPE": "float", "DEFAULT": 0.05, "MIN": 0.0, "MAX": 1.0, "LABEL": "how fast the threads drift outwards"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the threads"},
        {"NAME": "colour", "TYPE": "color", "DEFAULT": [0.55, 0.8, 1.0, 1.0], "LABEL": "colour of the threads"}
    ]
}*/
// Metaballs (Blinn 1982) from the swarm's own light: its coverage, blurred wide by reading
// coarse mip levels, is a smooth field that rises round each lit face; where two faces stand
// near, their fields add and a level line passes from one to the other as a bridge. A few
// level lines, thin and drifting outwards, are the threads; inside the faces and far out in
// the dark there are none.
#include "common/colour.glsl"

// The blurred light at `level`, smoothed by a 3x3 tent of taps a texel of that level apart, so
// the level lines curve instead of following the coarse texels' bilinear facets.
float blurred(vec2 uv, float level) {
    vec2 texel = exp2(level) / IMG_SIZE(source);
    float sum = 0.0;
    for (int i = 0; i < 9; ++i) {
        vec2 offset = vec2(i % 3 - 1, i / 3 - 1);
        sum += textureLod(source, uv + offset * texel, level).r * (2.0 - abs(offset.x)) * (2.0 - abs(offset.y));
    }
    return sum / 16.0;
}

void main() {
    vec2 uv = isf_FragNormCoord;
    float level = log2(max(IMG_SIZE(source).y / 16.0, 1.0)) + reach;
    float field = blurred(uv, level) + 0.5 * blurred(uv, level + 1.0);
    float where = smoothstep(0.004, 0.02, field) * (1.0 - smoothstep(0.06, 0.14, field));  // round faces, not on them
    float g = sqrt(field) * lines * 6.0 - TIME * flow;
    float thread = exp(-abs(fract(g) - 0.5) * 2.0 * 22.0);
    gl_FragColor = vec4(srgb_to_linear(colour.rgb) * thread * where * brightness, 1.0);
}
