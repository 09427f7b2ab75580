#version 430
// The flash guard's output: the frame shown last, moved towards the new frame by u_amount
// (1 lets the new frame through; less holds back a change that would be one flash too many).
in vec2 v_uv;
out vec4 colour;

uniform sampler2D u_shown;
uniform sampler2D u_frame;
uniform float u_amount;

void main() {
    colour = mix(texture(u_shown, v_uv), texture(u_frame, v_uv), u_amount);
}
