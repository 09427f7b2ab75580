#version 430
// Where the screen faults may strike: near the faces. Each texel of this small target is the
// mean light of the swarm over its NEAR x NEAR block of the frame, as a 0..1 coverage; the
// faults read it blurred and widened (screen.frag's near()), so they stay around the glyphs.
#include "common/colour.glsl"

out vec4 colour;

uniform sampler2D u_light;  // the swarm's HDR light
uniform int u_block;        // pixels of the frame to one texel here

void main() {
    ivec2 size = textureSize(u_light, 0);
    ivec2 corner = ivec2(gl_FragCoord.xy) * u_block;
    float sum = 0.0;
    for (int y = 0; y < u_block; y++) {
        for (int x = 0; x < u_block; x++) {
            sum += luminance(texelFetch(u_light, min(corner + ivec2(x, y), size - 1), 0).rgb);
        }
    }
    colour = vec4(smoothstep(0.02, 0.12, sum / float(u_block * u_block)), 0.0, 0.0, 1.0);
}
