#version 430
// Bloom, upsample step: a 3x3 tent filter over the coarser level, mixed with
// this level's downsample by `radius` (progressive upsampling, as in Jimenez
// 2014). Mixing rather than adding keeps the glow's energy independent of the
// number of levels.
in vec2 v_uv;
out vec4 out_colour;

uniform sampler2D u_coarse;
uniform sampler2D u_fine;
uniform float u_radius;  // post.bloom.radius
uniform float u_gain;

void main() {
    vec2 texel = 1.0 / vec2(textureSize(u_coarse, 0));
    vec3 tent = vec3(0.0);
    for (int y = -1; y <= 1; ++y) {
        for (int x = -1; x <= 1; ++x) {
            float weight = (2.0 - abs(float(x))) * (2.0 - abs(float(y)));
            tent += weight * textureLod(u_coarse, v_uv + vec2(x, y) * texel, 0.0).rgb;
        }
    }
    tent /= 16.0;
    vec3 fine = textureLod(u_fine, v_uv, 0.0).rgb;
    out_colour = vec4(mix(fine, tent, u_radius) * u_gain, 1.0);
}
