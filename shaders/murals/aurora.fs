/*{
    "DESCRIPTION": "Aurora: curtains of light hanging from the top of the wall in folds, their lower edges bending and soft, their rays leaning and drifting.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "CATEGORIES": ["neoterra-glow", "murals"],
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "height", "TYPE": "float", "DEFAULT": 0.45, "MIN": 0.05, "MAX": 1.5, "LABEL": "how far the curtains hang down"},
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.15, "MIN": 0.0, "MAX": 2.0, "LABEL": "how fast the curtains fold"},
        {"NAME": "streaks", "TYPE": "float", "DEFAULT": 12.0, "MIN": 2.0, "MAX": 80.0, "LABEL": "fineness of the rays"},
        {"NAME": "lean", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 2.0, "LABEL": "how far the rays lean as they drift"},
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 0.8, "MIN": 0.0, "MAX": 8.0, "LABEL": "light of the aurora"},
        {"NAME": "low_colour", "TYPE": "color", "DEFAULT": [0.25, 1.0, 0.55, 1.0], "LABEL": "colour at the curtains' lower edge"},
        {"NAME": "high_colour", "TYPE": "color", "DEFAULT": [0.6, 0.25, 1.0, 1.0], "LABEL": "colour where the curtains fade upwards"}
    ]
}*/
// Three curtains. Each hangs from a lower edge that sweeps across the sky in a slow, bending
// curve (two sines and noise, tilted), lit brightest just above it and fading upward
// exponentially, as real aurorae do along the magnetic field; below the edge the light thins
// out softly rather than stopping. The rays are noise stretched along a leaning direction that
// sways with time, and the curtain comes and goes in patches along its length, so it reads as
// folds of light, never as one flat band.
#include "common/noise.glsl"
#include "common/colour.glsl"
#include "murals/camera.glsl"

void main() {
    vec2 p = mural_point();  // y from -0.5 (bottom) to 0.5 (top)
    float t = TIME * speed;
    vec3 seed = vec3(float(NEOTERRA_SEED % 991) * 0.51);
    vec3 light = vec3(0.0);
    for (int i = 0; i < 3; ++i) {
        float fi = float(i);
        float tilt = 0.22 * sin(0.23 * t + fi * 2.4);
        float edge = 0.5 - height * (0.6 + 0.25 * fi) + tilt * p.x
                   + 0.09 * sin(p.x * (1.7 + 0.6 * fi) + t * 0.8 + fi * 2.1)
                   + 0.1 * fbm(vec3(p.x * 0.9 + fi * 3.1, t * 0.7 + fi, 0.0) + seed, 3);
        float above = p.y - edge;
        float curtain = above > 0.0 ? exp(-above / (0.1 + 0.06 * fi)) : exp(-above * above / 0.02);
        float slant = lean * sin(0.31 * t + fi * 1.7 + 0.8 * p.x);
        float along = p.x + slant * above;  // the rays lean, and their lean sways
        float rays = smoothstep(-0.1, 0.7, gradient_noise(vec3(along * streaks * (1.0 + 0.3 * fi), above * 2.0 - t * 0.6, fi * 7.0) + seed));
        float patches = smoothstep(-0.05, 0.35, gradient_noise(vec3(p.x * 1.1 - t * 0.5 + fi * 5.3, fi * 2.0, t * 0.3) + seed));
        vec3 colour = mix(srgb_to_linear(low_colour.rgb), srgb_to_linear(high_colour.rgb), smoothstep(0.0, 0.3, above));
        light += colour * curtain * (0.25 + 0.75 * rays) * patches * (1.0 - 0.25 * fi);
    }
    gl_FragColor = vec4(light * brightness, 1.0);
}
