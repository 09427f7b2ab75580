#version 430
// Lays one mural layer onto the stack below it: blend mode, opacity, the layer's own
// alpha and an optional mask, in linear HDR light. Screen and overlay are defined on
// 0..1; above 1 (HDR highlights) they keep the brighter of the two.
#include "common/colour.glsl"
#include "common/noise.glsl"

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
uniform sampler2D u_giving_way;  // how much of the murals' light gives way round the faces (giving_way.frag), at a quarter size:
                                 // r the layers', g the room's ground's (as wide, and darker just round the strokes)
uniform float u_ground;    // the room's ground, in linear luminance: a dim, coloured, slowly living floor of light
uniform float u_time;      // seconds: the ground's slow life
uniform vec3 u_ground_one; // the ground's two colours (linear light, a luminance of 1): the farther from the
uniform vec3 u_ground_two; // faces' hue lights the room (u_room's alpha), the second where no face is yet
uniform float u_ceiling;   // the brightest the murals get, in linear light (a stroke burns at about 1)
uniform float u_exposure;  // the room's light in stops over the preset's levels (murals.exposure): the venue's, shared
uniform float u_colour;    // how much of their own colour the murals and the ground keep (0: grey, the same light)
uniform sampler2D u_room;  // the faces' hue round here, eased (room_hue.frag): vector round the wheel, coverage
// u_below is the bottom layer itself, laid onto black here rather than in a full-frame pass of its own
uniform bool u_bottom;
uniform float u_bottom_opacity;  // 0 for a blend that leaves black black (multiply, overlay, darken)
uniform bool u_bottom_masked;
uniform bool u_bottom_srgb;
uniform bool u_bottom_mask_srgb;
uniform sampler2D u_bottom_mask;

// A soft knee: light below 60% of the ceiling is kept, above it bends towards the ceiling and
// never reaches it, so no vein or sparkle of the murals is as bright as a face.
vec3 capped(vec3 light) {
    float lum = luminance(light);
    float knee = 0.6 * u_ceiling;
    if (lum <= knee) return light;
    float room = u_ceiling - knee;
    return light * (knee + room * (1.0 - exp(-(lum - knee) / room))) / lum;
}

// How far a hue (turns) lies in the warm band no mural may take: red flesh, orange, gold and lime, from
// 340 to 95 degrees (gold, at 45, and some 45 degrees either side), fading out by 320 and 115.
float warm(float hue) {
    float from_gold = abs(fract(hue - 0.1042 + 0.5) - 0.5);  // turns from the band's middle, 37.5 degrees
    return 1.0 - smoothstep(0.1597, 0.2153, from_gold);
}

// The murals' light turned at least 60 degrees of hue from the faces' (u_room): a hue within 60
// degrees of the face's is thrown across to the far side (d -> 180 - 2d degrees), a map that is
// continuous in both hues, so as a face's hue changes the murals' turns smoothly; no turn brightens
// it (HSV keeps the top channel, not the light: a dark blue turned green or grey is brighter). A hue
// thrown into the warm band (red flesh to lime: warm()) takes the room's own colour there instead
// (the ground's, far from the face and clear of gold) at a little under half its light: gold is for
// healing; a red thrown from an aqua face marbled the room like flesh; a grey as bright as the sea was
// a fog; and darkened to near black, the veins of a sea in the face's hue curled as black ink over
// the rest of it (finale 18 s, 42-46 s). Only as far as the faces' hue is clear.
vec3 away_from_faces(vec3 light) {
    vec3 room = texture(u_room, v_uv).rgb;
    float clear = smoothstep(0.002, 0.01, room.b) * smoothstep(0.15, 0.35, length(room.rg) / max(room.b, 1e-6));
    vec3 hsv = rgb_to_hsv(light);
    if (clear <= 0.0 || hsv.y <= 0.0) return light;
    float face = atan(room.g, room.r) / 6.2831853;
    float d = hsv.x - face;
    d -= round(d);
    if (abs(d) >= 1.0 / 6.0) return light;
    float thrown = fract(face + mix(d, 0.5 - 2.0 * d, clear));
    // none where the throw ends (52 to 60 degrees), so the turn stays continuous; full short of it (a ramp
    // over the whole throw left hues thrown from 40 to 55 degrees half greyed: an olive or lime smoke)
    float off = warm(thrown) * clear * (1.0 - smoothstep(0.1444, 0.1667, abs(d)));
    vec3 turned = hsv_to_rgb(vec3(thrown, hsv.y * (1.0 - off), hsv.z));
    turned *= min(luminance(light) / max(luminance(turned), 1e-6), 1.0);  // never brighter: a navy sea turned grey washed the frame
    vec3 own = mix(u_ground_two, u_ground_one, texture(u_room, vec2(0.5)).a) * (0.45 * luminance(light));  // the room's colour
    return mix(turned, own, off);
}

// The room's ground: a dim light over the whole frame, giving way round the faces as the murals do and
// darker just round their strokes, so a projector shows a room and not nothing, while the face stays by
// far the brightest thing.
// Its colour is the farther from the faces' hue of the preset's two (murals.ground_one and _two; by
// default a sea green at 150 degrees and a violet at 275, both clear of gold), the violet taken up to a face at 220 in this linear light (a face there shows
// near 212 once tonemapped: the sea beside a cyan face read alike), crossfaded over 12 degrees there and
// eased over seconds (room_hue.frag's alpha), never in a cut: about 55 degrees from any face or more. It lives
// slowly: two octaves of drifting noise (about a minute across the frame) swell and thin it.
vec3 ground() {
    if (u_ground <= 0.0) return vec3(0.0);
    vec3 colour = mix(u_ground_two, u_ground_one, texture(u_room, vec2(0.5)).a);  // eased in room_hue.frag: one colour over the frame
    vec2 aspect = vec2(float(textureSize(u_below, 0).x) / float(textureSize(u_below, 0).y), 1.0);
    float life = clamp(0.5 + 1.2 * fbm(vec3(v_uv * aspect * 1.4, 0.02 * u_time), 2), 0.0, 1.0);
    return colour * u_ground * (0.45 + 1.1 * life);
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

// A layer's light (decoded from sRGB when it wrote sRGB) and how much of it is laid: opacity, its alpha, its mask.
vec4 laid(sampler2D layer_image, bool srgb, float opacity, bool masked, sampler2D mask_image, bool mask_srgb) {
    vec4 layer = texture(layer_image, v_uv);
    vec3 light = srgb ? srgb_to_linear(max(layer.rgb, 0.0)) : max(layer.rgb, 0.0);  // sRGB's curve past 1.0 too
    float amount = opacity * clamp(layer.a, 0.0, 1.0);
    if (masked) {
        vec3 mask = texture(mask_image, v_uv).rgb;
        amount *= clamp(luminance(mask_srgb ? srgb_to_linear(max(mask, 0.0)) : mask), 0.0, 1.0);
    }
    return vec4(light, amount);
}

void main() {
    vec3 below = texture(u_below, v_uv).rgb;
    if (u_bottom) {  // every blend onto black gives the layer's light or black (the blend's formula with b = 0)
        vec4 bottom = laid(u_below, u_bottom_srgb, u_bottom_opacity, u_bottom_masked, u_bottom_mask, u_bottom_mask_srgb);
        below = bottom.rgb * bottom.a;
    }
    vec4 layer = laid(u_layer, u_srgb, u_opacity, u_masked, u_mask, u_mask_srgb);
    vec3 stack = mix(below, blend(below, layer.rgb, u_blend), layer.a);
    if (u_top) {
        vec2 giving_way = texture(u_giving_way, v_uv).rg;
        float lift = exp2(u_exposure);  // before the ceiling, so no vein of a lit room burns as a face does
        stack = away_from_faces(capped(stack * lift)) * (1.0 - giving_way.r) + ground() * lift * (1.0 - giving_way.g);
        stack = mix(vec3(luminance(stack)), stack, u_colour);  // a quieter wash: the faces the most colourful thing
    }
    colour = vec4(stack, 1.0);
}
