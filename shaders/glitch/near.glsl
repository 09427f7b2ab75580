// How near a pixel is to the swarm's light (near.frag's coverage, 0..1): the most of a few
// taps around it, so the neighbourhood reaches a little past the strokes.
uniform sampler2D u_near;

const float REACH = 0.05;  // how far past the strokes the faults reach, in the frame's height

float near(vec2 uv) {
    vec2 step = vec2(REACH * float(textureSize(u_near, 0).y) / float(textureSize(u_near, 0).x), REACH);
    float m = texture(u_near, uv).r;
    for (int k = 0; k < 8; k++) {
        float a = 0.7853982 * float(k);
        m = max(m, texture(u_near, uv + step * vec2(cos(a), sin(a))).r);
    }
    return m;
}
