#version 430
// A part of an image at another size, filtered: a stream's frame (the whole image), or a
// monitor's part of a wall's picture. u_region is x, y, width, height in 0..1, y up.
in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_image;
uniform vec4 u_region;

void main() {
    colour = texture(u_image, u_region.xy + v_uv * u_region.zw);
}
