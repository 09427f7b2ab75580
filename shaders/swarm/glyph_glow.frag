#version 430
// A glyph's own glow as the swarm forms it, from its signed distance field:
// a faint body on the ink and a wide exponential halo around it.
#include "common/colour.glsl"
in vec2 v_atlas;
in vec2 v_local;
in float v_glow;
out vec4 colour;

uniform sampler2D u_atlas;
uniform vec3 u_edge;
uniform vec3 u_core;

void main() {
    float d = texture(u_atlas, v_atlas).r;
    float body = 1.0 - smoothstep(-0.02, 0.03, d);
    // the halo fades out before the quad's edge, so no square shows around it
    float edge = max(abs(v_local.x), abs(v_local.y));
    float halo = exp(-max(d, 0.0) * 9.0) * (1.0 - smoothstep(0.7, 0.98, edge));
    colour = vec4((srgb_to_linear(u_core) * body * 0.5 + srgb_to_linear(u_edge) * halo * 0.35) * v_glow, 0.0);
}
