#version 430
// The faces' hue as the murals follow it: the swarm's tint (tint.frag) near here at a face's scale
// plus the whole frame's, eased over about a second (an exponential moving average of the last
// frame's value), so the murals turn away from a new face's hue smoothly, never in a jump.
// Alpha: the share of the ground's first colour (murals.ground_one) over its second, from the whole
// frame's hue, eased slower still: the choice flips within a few degrees of hue, and the eased hue
// crossed them in one frame (the finale's room cut from green to violet at 14 s and 39.5 s).

in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_tint;  // mipmapped
uniform sampler2D u_last;  // this pass's last frame
uniform float u_keep;      // share of the last frame's value kept: exp(-dt / ease)
uniform float u_settle;    // and of the ground's choice: exp(-dt / its ease)
uniform vec2 u_ground_hues;  // the ground's two colours' hues, degrees

// How much of the ground is its first colour for the faces' hue over the whole frame: the farther of
// the two from it, crossfaded over 12 degrees of hue; with no clear hue (none, or hues that cancel), the second.
float first_colour(vec3 room) {
    float clear = smoothstep(0.0002, 0.002, room.b) * smoothstep(0.05, 0.15, length(room.rg) / max(room.b, 1e-6));
    float face = atan(room.g, room.r) * 57.29578;  // degrees
    float from_one = abs(mod(face - u_ground_hues.x + 180.0, 360.0) - 180.0);
    float from_two = abs(mod(face - u_ground_hues.y + 180.0, 360.0) - 180.0);
    return clear * smoothstep(13.0, 37.0, from_one - from_two);
}

void main() {
    float rows = float(textureSize(u_tint, 0).y);
    // about a face's size round here: a coarse mip level (three texels a frame's height) read through a ring of
    // taps, so the hue follows the faces in soft curves, not along the level's squares (their turns showed as
    // rectangles of colour between a wall's faces)
    float level = log2(max(rows / 3.0, 1.0));
    vec2 texel = exp2(level) / vec2(textureSize(u_tint, 0));
    vec3 near = 0.25 * textureLod(u_tint, v_uv, level).rgb;
    for (int k = 0; k < 6; k++) {
        float a = 1.0471976 * float(k);
        near += 0.125 * textureLod(u_tint, v_uv + 0.8 * texel * vec2(cos(a), sin(a)), level).rgb;
    }
    vec3 whole = textureLod(u_tint, vec2(0.5), log2(max(rows, float(textureSize(u_tint, 0).x)))).rgb;
    vec4 last = texture(u_last, v_uv);
    colour = vec4(mix(near + whole, last.rgb, u_keep), mix(first_colour(2.0 * whole), last.a, u_settle));
}
