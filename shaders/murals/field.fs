/*{
    "DESCRIPTION": "A slowly breathing sea of bioluminescence: drifting currents, plankton veins, single cells twinkling.",
    "CREDIT": "neoterra-glow",
    "ISFVSN": "2",
    "NEOTERRA_LIGHT": "linear",
    "INPUTS": [
        {"NAME": "brightness", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 8.0, "LABEL": "overall light of the field"},
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.08, "MIN": 0.0, "MAX": 2.0, "LABEL": "how fast the currents drift"},
        {"NAME": "scale", "TYPE": "float", "DEFAULT": 1.1, "MIN": 0.2, "MAX": 8.0, "LABEL": "size of the currents: higher is finer"},
        {"NAME": "warp", "TYPE": "float", "DEFAULT": 2.4, "MIN": 0.0, "MAX": 8.0, "LABEL": "how strongly the currents fold into each other"},
        {"NAME": "breath_rate", "TYPE": "float", "DEFAULT": 0.12, "MIN": 0.0, "MAX": 2.0, "LABEL": "breaths per second"},
        {"NAME": "breath_depth", "TYPE": "float", "DEFAULT": 0.35, "MIN": 0.0, "MAX": 1.0, "LABEL": "how much of the light each breath takes away"},
        {"NAME": "veins", "TYPE": "float", "DEFAULT": 2.5, "MIN": 0.0, "MAX": 12.0, "LABEL": "glow of the plankton veins"},
        {"NAME": "sparkle", "TYPE": "float", "DEFAULT": 0.18, "MIN": 0.0, "MAX": 1.0, "LABEL": "share of the sea's cells that twinkle"},
        {"NAME": "ground", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0, "LABEL": "light of the dark water itself, unbreathing, rising toward the frame's edges (a dim coloured ground, in linear light): lifts the frame without contrast"},
        {"NAME": "deep", "TYPE": "color", "DEFAULT": [0.008, 0.043, 0.102, 1.0], "LABEL": "colour of the dark water"},
        {"NAME": "mid", "TYPE": "color", "DEFAULT": [0.024, 0.314, 0.369, 1.0], "LABEL": "colour of the currents"},
        {"NAME": "glow", "TYPE": "color", "DEFAULT": [0.369, 1.0, 0.816, 1.0], "LABEL": "colour of the veins and sparkles"},
        {"NAME": "accent", "TYPE": "color", "DEFAULT": [0.541, 0.361, 1.0, 1.0], "LABEL": "colour some currents' glow drifts towards"}
    ]
}*/
// A slowly breathing field of bioluminescence, the sea under everything else.
// Domain-warped fractal noise (Quilez, "Domain Warping", 2002) makes drifting
// currents; thin ridges of a second warped field glow as plankton veins; hashed
// specks twinkle like single cells. Light goes above 1.0 where it should bloom.
#include "common/noise.glsl"
#include "common/colour.glsl"
#include "murals/camera.glsl"

// A breath: slow swell, longer rest, 0..1.
float breath(float t) {
    float swell = 0.5 - 0.5 * cos(6.2831853 * fract(t * breath_rate));
    return pow(swell, 1.6);
}

vec3 sparkles(vec2 p, float t, vec3 tint) {
    vec2 drifted = p * 7.0 + vec2(0.15 * sin(0.3 * t), 0.35 * t);
    ivec2 cell = ivec2(floor(drifted));
    vec3 h = hash33(ivec3(cell, NEOTERRA_SEED * 7 + 911));
    if (h.z > sparkle) {
        return vec3(0.0);
    }
    vec2 centre = 0.2 + 0.6 * h.xy;
    vec2 d = fract(drifted) - centre;
    float twinkle = 0.5 + 0.5 * sin(TIME * (0.7 + 2.3 * h.x) + 6.2831853 * h.y);
    float r2 = dot(d, d);
    return tint * (3.0 * twinkle * twinkle * twinkle) * (exp(-r2 * 900.0) * 6.0 + exp(-r2 * 90.0) * 0.25);
}

void main() {
    vec2 p = mural_point() * scale;  // seen through the virtual camera, behind the swarm
    vec3 origin = hash33(ivec3(NEOTERRA_SEED, 17, 3)) * 200.0;  // each seed is another stretch of sea
    float t = TIME * speed;
    float b = breath(TIME);
    vec3 s = vec3(p, t) + origin;

    vec2 q = vec2(fbm(s, 3), fbm(s + vec3(5.2, 1.3, 2.8), 3));
    vec2 r = vec2(fbm(s + vec3(warp * q + vec2(1.7, 9.2), 0.15 * t), 3),
                  fbm(s + vec3(warp * q + vec2(8.3, 2.8), 0.13 * t), 3));
    float f = fbm(s + vec3(warp * r, 0.0), 5);
    float density = clamp(0.5 + 1.1 * f, 0.0, 1.0);

    float ridge = 1.0 - abs(fbm(s * 1.6 + vec3(warp * 0.8 * r, 0.2 * t), 3) * 2.2);
    float vein = pow(clamp(ridge, 0.0, 1.0), 18.0) * smoothstep(0.25, 0.75, density + 0.35 * length(r));

    vec3 deep = srgb_to_linear(deep.rgb);
    vec3 mid = srgb_to_linear(mid.rgb);
    // The glow drifts towards the accent colour along some currents, never all of them.
    float tint = smoothstep(-0.05, 0.3, fbm(vec3(p * 1.3, 0.05 * t) + origin.zxy, 2));
    vec3 shine = mix(srgb_to_linear(glow.rgb), srgb_to_linear(accent.rgb), tint);

    float body = density * density * density;
    vec3 light = mix(deep, mix(mid, shine * 0.3, 0.35 * tint), smoothstep(0.3, 1.0, density)) * (0.2 + 1.4 * body);
    light += shine * vein * veins * (0.5 + 1.0 * b);
    light += sparkles(p, TIME, mix(shine, vec3(1.0), 0.5)) * (0.6 + 0.8 * b);
    light *= brightness * mix(1.0 - breath_depth, 1.0, b);
    // even, unbreathing, rising toward the frame's edges (where the faces are not): it lifts the
    // frame's light without drawing the eye from the face
    float out_to_edge = length((isf_FragNormCoord - 0.5) * RENDERSIZE / RENDERSIZE.y);
    light += deep * ground * smoothstep(0.25, 0.95, out_to_edge);
    gl_FragColor = vec4(light, 1.0);
}
