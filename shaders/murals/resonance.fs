/*{
    "DESCRIPTION": "Resonance: the music's spectrum as a horizon of glowing filaments, bass at the centre and highs at the edges, rising and falling with the sound.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals", "audio"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "spectrum", "TYPE": "audioFFT"},
        {"NAME": "wave", "TYPE": "audio"},
        {"NAME": "height", "TYPE": "float", "DEFAULT": 0.35, "MIN": 0.0, "MAX": 1.0, "LABEL": "how high the loudest band rises"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.7, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the filaments"},
        {"NAME": "low_colour", "TYPE": "color", "DEFAULT": [1.0, 0.55, 0.2, 1.0], "LABEL": "colour of the bass"},
        {"NAME": "high_colour", "TYPE": "color", "DEFAULT": [0.35, 0.7, 1.0, 1.0], "LABEL": "colour of the highs"}
    ]
}*/
// The spectrum is read log-spaced (the engine hands ISF audioFFT inputs 256 bands from 20 Hz
// to 16 kHz), mirrored about the centre so the bass sits in the middle of the wall. Each
// band is a soft column of light above a horizon; the waveform draws a thin, trembling
// thread along the horizon itself.
#include "common/colour.glsl"

void main() {
    vec2 uv = isf_FragNormCoord;
    float band = abs(uv.x - 0.5) * 2.0;  // 0 at the centre (bass) to 1 at the edges (highs)
    float level = sqrt(IMG_NORM_PIXEL(spectrum, vec2(band * 0.92 + 0.004, 0.5)).r);  // quiet bands still show
    float horizon = 0.32;
    float above = uv.y - horizon;
    float top = level * height;
    float column = above > 0.0 ? smoothstep(top + 0.02, top - 0.06, above) * exp(-above / max(top, 0.02) * 1.2) : 0.0;
    float filaments = 0.55 + 0.45 * cos(band * 160.0);
    float reflection = above < 0.0 ? exp(above * 18.0) * level * 0.35 : 0.0;
    float sample_at = IMG_NORM_PIXEL(wave, vec2(uv.x, 0.5)).r - 0.5;
    float thread = exp(-abs(above - sample_at * 0.12) * 220.0) * 0.6;
    vec3 colour = mix(srgb_to_linear(low_colour.rgb), srgb_to_linear(high_colour.rgb), smoothstep(0.0, 0.8, band));
    gl_FragColor = vec4(colour * (column * filaments + reflection + thread) * brightness, 1.0);
}
