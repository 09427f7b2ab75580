#version 430
// The operator's HUD: text drawn on the CPU into a small texture, laid over the top left
// corner of the window with its own alpha.
in vec2 v_uv;
out vec4 colour;

uniform sampler2D u_text;
uniform vec2 u_window;  // pixels
uniform vec2 u_size;    // of the text texture, pixels

void main() {
    vec2 px = vec2(gl_FragCoord.x, u_window.y - gl_FragCoord.y) - vec2(12.0);
    if (any(lessThan(px, vec2(0.0))) || any(greaterThan(px, u_size))) discard;
    colour = texture(u_text, vec2(px.x, u_size.y - px.y) / u_size);
}
