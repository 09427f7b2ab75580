/*{
    "DESCRIPTION": "Aurora: curtains of light hanging from the top of the wall, folding slowly, streaked from below.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "height", "TYPE": "float", "DEFAULT": 0.45, "MIN": 0.05, "MAX": 1.5, "LABEL": "how far the curtains hang down"},
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.15, "MIN": 0.0, "MAX": 2.0, "LABEL": "how fast the curtains fold"},
        {"NAME": "streaks", "TYPE": "float", "DEFAULT": 40.0, "MIN": 4.0, "MAX": 200.0, "LABEL": "fineness of the rays"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.8, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the aurora"},
        {"NAME": "low_colour", "TYPE": "color", "DEFAULT": [0.25, 1.0, 0.55, 1.0], "LABEL": "colour at the curtains' lower edge"},
        {"NAME": "high_colour", "TYPE": "color", "DEFAULT": [0.6, 0.25, 1.0, 1.0], "LABEL": "colour where the curtains fade upwards"}
    ]
}*/
// Three curtains, each a lower edge that wanders with noise along x; light is brightest
// just above the edge and fades upward exponentially, as in real aurorae whose rays
// stand along the magnetic field. Rays are high-frequency noise in x, slowly shifting.
#include "common/noise.glsl"
#include "common/colour.glsl"

void main() {
    vec2 uv = isf_FragNormCoord;
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    float x = (uv.x - 0.5) * aspect;
    float t = TIME * speed;
    vec3 seed = vec3(float(NEOTERRA_SEED % 991) * 0.51);
    vec3 light = vec3(0.0);
    for (int i = 0; i < 3; ++i) {
        float fi = float(i);
        float edge = 1.0 - height * (0.7 + 0.25 * fi) + 0.12 * fbm(vec3(x * 0.9 + fi * 3.1, t + fi, 0.0) + seed, 3);
        float above = uv.y - edge;
        float curtain = above > 0.0 ? exp(-above / (0.12 + 0.08 * fi)) : exp(above * 60.0);
        float rays = 0.45 + 0.55 * smoothstep(-0.2, 0.6, gradient_noise(vec3(x * streaks * (1.0 + 0.3 * fi), t * 2.0, fi * 7.0) + seed));
        float fold = 0.5 + 0.5 * gradient_noise(vec3(x * 2.2 - t * 1.5, fi * 5.0, t * 0.5) + seed);
        vec3 colour = mix(srgb_to_linear(low_colour.rgb), srgb_to_linear(high_colour.rgb), smoothstep(0.0, 0.35, above));
        light += colour * curtain * rays * (0.3 + 0.9 * fold) * (1.0 - 0.25 * fi);
    }
    gl_FragColor = vec4(light * brightness, 1.0);
}
