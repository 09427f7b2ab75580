#version 430
// The finished frame at another size, for a stream: filtered, not fetched.
in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_image;

void main() {
    colour = texture(u_image, v_uv);
}
