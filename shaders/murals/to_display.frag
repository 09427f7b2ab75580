#version 430
// The engine's linear light as a plain ISF shader expects its images: sRGB-encoded, with the
// curve carried on past 1.0 so that bright HDR light comes back unchanged (compose.frag
// decodes what the layer writes with the same curve).
#include "common/colour.glsl"
in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_image;

void main() {
    vec4 light = texture(u_image, v_uv);
    colour = vec4(linear_to_srgb(light.rgb), light.a);
}
