/*{
    "DESCRIPTION": "Resonance: the music as currents of light in the water, each fold lit by its own part of the spectrum, trembling with the waveform.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals", "audio"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "spectrum", "TYPE": "audioFFT"},
        {"NAME": "wave", "TYPE": "audio"},
        {"NAME": "height", "TYPE": "float", "DEFAULT": 0.35, "MIN": 0.0, "MAX": 1.0, "LABEL": "how far the loud folds swell"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.7, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the filaments"},
        {"NAME": "low_colour", "TYPE": "color", "DEFAULT": [1.0, 0.55, 0.2, 1.0], "LABEL": "colour of the bass"},
        {"NAME": "high_colour", "TYPE": "color", "DEFAULT": [0.35, 0.7, 1.0, 1.0], "LABEL": "colour of the highs"}
    ]
}*/
// The sound in the water, not a visualiser: a slowly drifting, domain-warped noise field
// (Quilez, "Domain Warping") is cut into thin glowing ridges (its level lines). Each ridge
// takes its band of the spectrum from the field's own value (bass in the broad, slow folds,
// highs in the fine ones), so loud bands light whole currents; the bass swells the folds and
// the waveform makes the filaments tremble. No bars, no horizon: nothing to cut a face.
#include "common/noise.glsl"
#include "common/colour.glsl"
#include "murals/camera.glsl"

float heard(float band) {  // the spectrum, smoothed over neighbouring bands so no single bin flickers
    float level = 0.0;
    for (int i = -2; i <= 2; ++i) {
        level += IMG_NORM_PIXEL(spectrum, vec2(clamp(band + float(i) * 0.012, 0.004, 0.92), 0.5)).r;
    }
    return sqrt(level / 5.0);
}

void main() {
    vec2 p = mural_point() * 1.4;
    vec3 seed = vec3(float(NEOTERRA_SEED % 983) * 0.41);
    float bass = heard(0.02);
    float t = TIME * 0.05;
    vec2 q = vec2(fbm(vec3(p, t) + seed, 3), fbm(vec3(p + 5.2, t) + seed, 3));
    float f = fbm(vec3(p + (1.6 + 2.0 * height * bass) * q, 0.5 * t) + seed.zxy, 4);
    float tremble = IMG_NORM_PIXEL(wave, vec2(fract(0.5 + 0.37 * p.x + 0.21 * p.y), 0.5)).r - 0.5;
    float value = f * 3.5 + tremble * 0.4;
    float ridge = exp(-abs(fract(value) - 0.5) * 2.0 * 20.0);  // thin lines along the field's level lines
    float band = clamp(abs(q.x + q.y) * 1.2, 0.0, 1.0);  // broad, slow folds hear the bass; the rest the highs
    float level = heard(band * 0.8);
    float haze = smoothstep(0.1, 0.6, f + 0.3) * 0.06;
    vec3 colour = mix(srgb_to_linear(low_colour.rgb), srgb_to_linear(high_colour.rgb), smoothstep(0.0, 0.8, band));
    gl_FragColor = vec4(colour * (ridge * (0.08 + 1.2 * level) + haze * level) * brightness, 1.0);
}
