#version 430
// The swarm's light buffer to HDR light, one pixel each, then the buffer keeps u_keep of
// itself: that decay is the bots' trails.
#include "swarm/bot.glsl"

layout(std430, binding = LIGHT_BINDING) buffer Light { uint light[]; };

uniform ivec2 u_pixels;
uniform float u_keep;
out vec4 colour;

void main() {
    ivec2 at = ivec2(gl_FragCoord.xy);
    uint k = uint(at.y * u_pixels.x + at.x) * 3u;
    uvec3 sum = uvec3(light[k], light[k + 1u], light[k + 2u]);
    colour = vec4(vec3(sum) / LIGHT_UNITS, 0.0);
    uvec3 kept = uvec3(vec3(sum) * u_keep);  // rounded down, so a trail always ends
    light[k] = kept.r;
    light[k + 1u] = kept.g;
    light[k + 2u] = kept.b;
}
