#version 430
// Adds the swarm's light (the bots and their trails) into the scene's HDR target.
in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_light;

void main() {
    colour = vec4(texture(u_light, v_uv).rgb, 0.0);
}
