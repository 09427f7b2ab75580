#version 430
// Feedback smear, in the manner of datamosh: a codec that lost its keyframes keeps moving
// old pixels by stale motion vectors. Here each block carries a motion vector of its
// own; where a block is "lost", last frame's output, moved by that vector, is kept
// over the new image (brighter of the two), so light drags and bleeds: near the faces only.
#include "common/hash.glsl"
#include "glitch/near.glsl"

in vec2 v_uv;
out vec4 colour;

uniform sampler2D u_image;
uniform sampler2D u_history;
uniform float u_smear;
uniform int u_seed;

void main() {
    ivec2 size = textureSize(u_image, 0);
    ivec2 p = ivec2(gl_FragCoord.xy);
    vec4 now = texelFetch(u_image, p, 0);
    vec3 h = hash33(ivec3(p / 24 + ivec2(0, 4099 * (u_seed / 12)), 13));  // blocks keep their vectors a while
    if (h.x >= u_smear * 0.8 * near((vec2(p / 24 * 24 + 12)) / vec2(size))) {
        colour = now;
        return;
    }
    vec2 motion = (h.yz * 2.0 - 1.0) * 3.0;
    vec4 old = texture(u_history, (vec2(p) + 0.5 - motion) / vec2(size));
    colour = vec4(max(now.rgb, old.rgb * (0.9 + 0.08 * u_smear)), now.a);
}
