#version 430
// The lights' cells: each pixel of a small target is the average of its block of the frame
// (u_block texels square), from 4 x 4 linear taps, each the mean of a 2 x 2 quad: the whole block
// up to 8 texels, a quarter of it at 16 (within a few levels of its true mean). One pass of
// 16 taps a cell, where a mipmap chain filters every level of the whole frame.
out vec4 colour;
uniform sampler2D u_image;
uniform float u_block;

const int TAPS = 4;

void main() {
    vec2 size = vec2(textureSize(u_image, 0));
    vec2 origin = floor(gl_FragCoord.xy) * u_block;
    float step = u_block / float(TAPS);
    vec4 sum = vec4(0.0);
    for (int j = 0; j < TAPS; ++j) {
        for (int i = 0; i < TAPS; ++i) {
            sum += textureLod(u_image, (origin + (vec2(i, j) + 0.5) * step) / size, 0.0);
        }
    }
    colour = sum / float(TAPS * TAPS);
}
