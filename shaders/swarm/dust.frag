#version 430
// A mote's light: a soft disc, a little brighter toward its rim when it is near and out of
// focus (a lens's bokeh), a round speck when far, an ember a hot core in a soft warm halo; added, adding
// no alpha. The near discs are dim (a third), so a bokeh over a face never reads as a
// stain or a stock lens effect.
in vec3 v_light;
in float v_rim;
in float v_ember;
out vec4 colour;

void main() {
    float r = length(gl_PointCoord * 2.0 - 1.0);
    float disc = 1.0 - smoothstep(0.75, 1.0, r);
    if (v_ember > 0.0) {
        // an ember: a hot core of a fixed width in pixels (narrower, a sub-pixel step moved its light off the one pixel
        // that held it, and it blinked) in a soft warm halo that fills its point; a spark of a pixel or two lights its
        // whole pixels alike, so its light holds as it moves between them (a disc's edge blinked it out)
        float d = 0.5 * v_ember * r;  // pixels from its centre
        float glow = (exp(-0.8 * d * d) + 0.35 * exp(-3.0 * r * r)) * (1.0 - smoothstep(0.85, 1.0, r));
        disc = mix(1.0, glow, smoothstep(2.0, 4.0, v_ember));
    }
    colour = vec4(v_light * disc * (1.0 + v_rim * (0.6 * smoothstep(0.4, 0.9, r) - 0.3)) * mix(1.0, 0.35, v_rim), 0.0);
}
