#version 430
// A mote's light: a soft disc, a little brighter toward its rim when it is near and out of
// focus (a lens's bokeh), a round speck when far, an ember's few whole pixels evenly; added,
// adding no alpha. The near discs are dim (a third), so a bokeh over a face never reads as a
// stain or a stock lens effect.
in vec3 v_light;
in float v_rim;
in float v_even;
out vec4 colour;

void main() {
    float r = length(gl_PointCoord * 2.0 - 1.0);
    float disc = mix(1.0 - smoothstep(0.75, 1.0, r), 1.0, v_even);
    colour = vec4(v_light * disc * (1.0 + v_rim * (0.6 * smoothstep(0.4, 0.9, r) - 0.3)) * mix(1.0, 0.35, v_rim), 0.0);
}
