#version 430
// Trails by decaying feedback: with multiplicative blending, the trail buffer keeps
// u_keep of last frame's light, and this frame's sprites are added on top.
out vec4 colour;
uniform float u_keep;

void main() {
    colour = vec4(u_keep);
}
