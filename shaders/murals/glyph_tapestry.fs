/*{
    "DESCRIPTION": "A glyph tapestry: the swarm's light woven into a repeating, mirrored pattern that drifts behind the smiles.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "source", "TYPE": "image", "LABEL": "what is woven"},
        {"NAME": "tiles", "TYPE": "float", "DEFAULT": 4.0, "MIN": 1.0, "MAX": 16.0, "LABEL": "repeats across the height"},
        {"NAME": "drift", "TYPE": "float", "DEFAULT": 0.03, "MIN": 0.0, "MAX": 1.0, "LABEL": "how fast the tapestry slides"},
        {"NAME": "zoom", "TYPE": "float", "DEFAULT": 0.45, "MIN": 0.1, "MAX": 1.0, "LABEL": "how much of the source each tile shows"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the tapestry"},
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [0.7, 0.55, 1.0, 1.0], "LABEL": "colour the woven light takes"},
        {"NAME": "mirror", "TYPE": "bool", "DEFAULT": true, "LABEL": "mirror alternate tiles, as in a woven repeat"}
    ]
}*/
// A wallpaper repeat: the frame is cut into tiles; each shows the centre of the source
// (the glyph forming there, by default), mirrored on alternate tiles so edges meet, with
// a weave texture of crossing threads laid over it.
#include "common/colour.glsl"

void main() {
    vec2 aspect = vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0);
    vec2 p = isf_FragNormCoord * aspect * tiles + vec2(TIME * drift, TIME * drift * 0.37) * tiles;
    vec2 cell = floor(p);
    vec2 f = fract(p);
    if (mirror) f = mix(f, 1.0 - f, mod(cell, 2.0));
    vec2 uv = 0.5 + (f - 0.5) * zoom / aspect * aspect.y;
    vec3 woven = IMG_NORM_PIXEL(source, uv).rgb;
    float weave = 0.75 + 0.25 * sin(p.x * 60.0) * sin(p.y * 60.0);
    float lum = luminance(woven);
    vec3 light = srgb_to_linear(tint.rgb) * lum * 3.0 + woven * 0.25;
    gl_FragColor = vec4(light * weave * brightness, 1.0);
}
