#version 430
// Adds the swarm's light (sprites and their trails) into the scene's HDR target.
in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_trail;

void main() {
    colour = vec4(texture(u_trail, v_uv).rgb, 0.0);
}
