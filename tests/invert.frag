#version 430
// The test stage of tests/test_pipeline.py: the image as its negative.
in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_image;

void main() {
    colour = vec4(1.0 - texture(u_image, v_uv).rgb, 1.0);
}
