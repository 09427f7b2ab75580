#version 430
// The operator's HUD: text drawn on the CPU into a small texture, laid with its own alpha
// over the top left corner of the image.
in vec2 v_uv;
out vec4 colour;

uniform sampler2D u_image;
uniform sampler2D u_text;
uniform vec2 u_size;  // of the text texture, pixels

void main() {
    colour = texture(u_image, v_uv);
    vec2 px = vec2(gl_FragCoord.x, float(textureSize(u_image, 0).y) - gl_FragCoord.y) - vec2(12.0);
    if (all(greaterThanEqual(px, vec2(0.0))) && all(lessThanEqual(px, u_size))) {
        vec4 text = texture(u_text, vec2(px.x, u_size.y - px.y) / u_size);
        colour.rgb = mix(colour.rgb, text.rgb, text.a);
    }
}
