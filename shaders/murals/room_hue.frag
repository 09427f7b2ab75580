#version 430
// The faces' hue as the murals follow it: the swarm's tint (tint.frag) near here at a face's scale
// plus the whole frame's, eased over about a second (an exponential moving average of the last
// frame's value), so the murals turn away from a new face's hue smoothly, never in a jump.

in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_tint;  // mipmapped
uniform sampler2D u_last;  // this pass's last frame
uniform float u_keep;      // share of the last frame's value kept: exp(-dt / ease)

void main() {
    float rows = float(textureSize(u_tint, 0).y);
    vec3 near = textureLod(u_tint, v_uv, log2(max(rows / 3.0, 1.0))).rgb;  // about a face's size round here
    vec3 whole = textureLod(u_tint, vec2(0.5), log2(max(rows, float(textureSize(u_tint, 0).x)))).rgb;
    colour = vec4(mix(near + whole, texture(u_last, v_uv).rgb, u_keep), 1.0);
}
