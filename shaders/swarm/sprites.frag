#version 430
// A soft round sprite: Gaussian falloff from a hot centre, added into the HDR light.
in vec3 v_light;
out vec4 colour;

void main() {
    vec2 p = gl_PointCoord * 2.0 - 1.0;
    float r2 = dot(p, p);
    if (r2 > 1.0) discard;
    colour = vec4(v_light * exp(-4.0 * r2), 1.0);
}
