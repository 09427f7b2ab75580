#version 430
// Lays one mural layer onto the stack below it: blend mode, opacity, the layer's own
// alpha and an optional mask, in linear HDR light. Screen and overlay are defined on
// 0..1; above 1 (HDR highlights) they keep the brighter of the two.
#include "common/colour.glsl"

in vec2 v_uv;
out vec4 colour;

uniform sampler2D u_below;
uniform sampler2D u_layer;
uniform sampler2D u_mask;
uniform int u_blend;       // index into murals/layers.py BLENDS
uniform float u_opacity;
uniform bool u_masked;
uniform bool u_mask_srgb;   // the mask is an sRGB layer's output
uniform bool u_srgb;       // the layer wrote sRGB colour (plain ISF), not linear light
uniform bool u_top;        // the last layer: the whole stack is hushed and capped here
uniform sampler2D u_presence;  // where the swarm's light is (presence.frag), mipmapped
uniform float u_hush;      // how much of the murals' light goes where the faces are
uniform float u_room;      // how much of the murals' light goes out to about 1.5 face-widths round them
uniform float u_ceiling;   // the brightest the murals get, in linear light (a stroke burns at about 1)

// The swarm's presence blurred wide and round: a coarse mip level (a mip pyramid as a cheap
// box filter, Williams 1983) read through two rings of taps, so the murals dim in a soft, round
// pool, not in the mip's squares. `rows`: how many texels of that level span the frame's height.
float presence(float rows, float inner, float outer) {
    float level = log2(max(float(textureSize(u_presence, 0).y) / rows, 1.0));
    vec2 texel = exp2(level) / vec2(textureSize(u_presence, 0));
    float sum = 0.0;
    for (int k = 0; k < 12; k++) {
        float a = 6.2831853 * (float(k) + 0.5 * float(k & 1)) / 12.0;
        float reach = (k & 1) == 0 ? inner : outer;
        sum += textureLod(u_presence, v_uv + reach * texel * vec2(cos(a), sin(a)), level).r;
    }
    return (sum + 4.0 * textureLod(u_presence, v_uv, level).r) / 16.0;
}

// How much of the murals gives way here: all of it within about a quarter of the frame's height
// of a face's strokes (hush), and most of it (room) out to about one and a half face-widths, so
// the black around a face is real black and the murals live at the frame's edges.
float giving_way() {
    float near = smoothstep(0.0, 0.08, presence(12.0, 1.2, 2.6));
    float wide = smoothstep(0.0, 0.025, presence(4.0, 1.2, 2.4));
    return u_hush * max(near, u_room * wide);
}

// A soft knee: light below 60% of the ceiling is kept, above it bends towards the ceiling and
// never reaches it, so no vein or sparkle of the murals is as bright as a face.
vec3 capped(vec3 light) {
    float lum = luminance(light);
    float knee = 0.6 * u_ceiling;
    if (lum <= knee) return light;
    float room = u_ceiling - knee;
    return light * (knee + room * (1.0 - exp(-(lum - knee) / room))) / lum;
}

vec3 blend(vec3 b, vec3 l, int mode) {
    if (mode == 1) return b + l;                                          // add
    if (mode == 2) return max(b + l - b * l, max(b, l));                  // screen
    if (mode == 3) return b * l;                                          // multiply
    if (mode == 4) {                                                      // overlay
        vec3 low = 2.0 * b * l;
        vec3 high = 1.0 - 2.0 * (1.0 - min(b, 1.0)) * (1.0 - min(l, 1.0));
        return max(mix(low, high, step(0.5, b)), b * step(1.0, b));
    }
    if (mode == 5) return abs(b - l);                                     // difference
    if (mode == 6) return max(b, l);                                      // lighten
    if (mode == 7) return min(b, l);                                      // darken
    return l;                                                             // normal
}

void main() {
    vec4 below = texture(u_below, v_uv);
    vec4 layer = texture(u_layer, v_uv);
    vec3 light = u_srgb ? srgb_to_linear(max(layer.rgb, 0.0)) : max(layer.rgb, 0.0);  // sRGB's curve past 1.0 too
    float amount = u_opacity * clamp(layer.a, 0.0, 1.0);
    if (u_masked) {
        vec3 mask = texture(u_mask, v_uv).rgb;
        amount *= clamp(luminance(u_mask_srgb ? srgb_to_linear(max(mask, 0.0)) : mask), 0.0, 1.0);
    }
    vec3 stack = mix(below.rgb, blend(below.rgb, light, u_blend), amount);
    if (u_top) stack = capped(stack) * (1.0 - giving_way());
    colour = vec4(stack, 1.0);
}
