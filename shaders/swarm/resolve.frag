#version 430
// The swarm's light buffer to HDR light, one pixel each, then the buffer keeps u_keep of
// itself: that decay is the bots' trails.
//
// Gold is laid at the light the tone curve turns into the spark as it is seen: ACES (Narkowicz 2015) bends
// each channel on its own, so one gold came out lemon where a seam was bright and orange where it was dim or
// lay over a rose face. The splat keeps, beside each pixel's light, how much of it is gold: that share of the
// pixel (a seam's or a heap bead's, over whatever face lies under it) turns to the gold as it will be seen.
// Where the gold is densest, a seam's core, it pales toward white as kintsugi's lacquer catches the light,
// its body and edge staying gold: a core at the spark's own level read as an orange line, not bright gold, and a
// whole seam paled a third of the way read peach (curators).
#include "swarm/bot.glsl"
#include "common/colour.glsl"

layout(std430, binding = LIGHT_BINDING) buffer Light { uint light[]; };  // rgb per pixel, then how much of it is gold

uniform ivec2 u_pixels;
uniform float u_keep;
uniform vec3 u_spark;      // the gold of healing, linear, its brightest channel 1
uniform float u_exposure;  // the tone curve's gain (post.tonemap.exposure, as a factor)
uniform bool u_aces;       // whether the tone curve is ACES, the one that turns gold lemon or orange
out vec4 colour;

const float PALEST = 0.8;             // how far the hottest gold pales toward white (in display light, so its hue stays gold's):
                                      // a white-hot core (at 0.38 across the seam's whole width, it read peach, not gold)
const vec2 PALING = vec2(0.45, 0.95); // the level as seen, of the gold's light over HOTTER, where it starts to pale and is palest
const float HOTTER = 4.0;             // so the body of a seam keeps gold's saturation, its densest core turns white-hot
const float BRIGHTEST = 0.9;          // the most gold is seen at (display light): nearer white, the light ACES needs for it grows
                                      // without bound in red first, and the glow round a thin seam read orange (0.98: 4.7, 1.0,
                                      // 0.3 in linear light for a pale core; 0.9: 1.8, 0.85, 0.3)

// The pixel's light, its gold share turned to the spark at the pixel's brightness as the eye will see it, paler where
// the gold alone is bright.
vec3 seen_gold(vec3 hdr, float gold) {
    float high = max(hdr.r, max(hdr.g, hdr.b));
    if (!u_aces || gold <= 0.0 || high <= 0.0) return hdr;
    float level = min(aces(vec3(high * u_exposure)).x, BRIGHTEST);
    float pale = PALEST * smoothstep(PALING.x, PALING.y, aces(vec3(gold * u_exposure / HOTTER)).x);
    vec3 lacquer = pow(mix(pow(u_spark, vec3(1.0 / 2.2)), vec3(1.0), pale), vec3(2.2));
    return mix(hdr, aces_inverse(lacquer * level) / u_exposure, clamp(gold / high, 0.0, 1.0));
}

void main() {
    ivec2 at = ivec2(gl_FragCoord.xy);
    uint k = uint(at.y * u_pixels.x + at.x) * 4u;
    uvec4 sum = uvec4(light[k], light[k + 1u], light[k + 2u], light[k + 3u]);
    vec4 hdr = vec4(sum) / LIGHT_UNITS;
    colour = vec4(seen_gold(hdr.rgb, hdr.a), 0.0);
    uvec4 kept = uvec4(vec4(sum) * u_keep);  // rounded down, so a trail always ends
    light[k] = kept.r;
    light[k + 1u] = kept.g;
    light[k + 2u] = kept.b;
    light[k + 3u] = kept.a;
}
