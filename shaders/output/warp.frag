#version 430
// The last step to a projector: a corner-pin keystone (the inverse of the homography
// that takes the image's corners to where they land on the wall), soft-edge blending
// where two projectors overlap, and a test card to line them up with.
in vec2 v_uv;
out vec4 colour;

uniform sampler2D u_image;
uniform mat3 u_to_image;     // screen (0..1, y up) -> image (0..1)
uniform vec4 u_blend;        // widths of the soft edges: left, right, bottom, top (share of the image)
uniform float u_gamma;       // the projectors' gamma: ramps are made even in light, not in signal
uniform bool u_test_card;
uniform vec2 u_resolution;   // of the image, for the test card's lines
uniform sampler2D u_code;    // a QR code for the card (the audience page), white on black modules
uniform bool u_has_code;
uniform vec4 u_region;       // the part of the image this output shows: x, y, width, height (0..1)
uniform vec2 u_canvas;       // the whole image's size: a slice's test card grid continues into its neighbour's
uniform sampler2D u_label;   // a slice's name, for its test card
uniform bool u_has_label;
uniform float u_black;       // light added outside the soft edges, to match the overlap's doubled black

float ramp(float x, float width) {
    return width > 0.0 ? pow(clamp(x / width, 0.0, 1.0), 1.0 / u_gamma) : 1.0;
}

vec3 test_card(vec2 uv) {
    vec2 px = uv * u_resolution;
    vec2 on_canvas = (u_region.xy + uv * u_region.zw) * u_canvas;  // the grid is the canvas's, across slices
    vec2 cell = vec2(u_canvas.y / 9.0);
    vec2 line = abs(fract(on_canvas / cell + 0.5) - 0.5) * cell;
    float grid = step(min(line.x, line.y), 1.0);
    float border = step(min(min(px.x, px.y), min(u_resolution.x - px.x, u_resolution.y - px.y)), 4.0);
    vec2 centred = (uv - 0.5) * vec2(u_resolution.x / u_resolution.y, 1.0);
    float ring = step(abs(length(centred) - 0.4), 0.004) + step(abs(length(centred) - 0.2), 0.004);
    float cross_hair = step(min(abs(centred.x), abs(centred.y)), 0.002) * step(length(centred), 0.45);
    vec3 bars = vec3(0.0);
    if (uv.y > 0.08 && uv.y < 0.16 && uv.x > 0.2 && uv.x < 0.8) {
        int bar = int((uv.x - 0.2) / 0.6 * 7.0);
        bars = vec3(bar == 0 || bar == 3 || bar == 4 || bar == 6, bar <= 3, bar == 0 || bar == 2 || bar == 4 || bar == 5) * 0.75 + 0.25 * float(bar == 6);
    }
    vec3 corners = vec3(0.0);
    if (uv.x < 0.06 && uv.y > 0.94) corners = vec3(1.0, 0.2, 0.2);  // top left red
    if (uv.x > 0.94 && uv.y > 0.94) corners = vec3(0.2, 1.0, 0.2);  // top right green
    if (uv.x > 0.94 && uv.y < 0.06) corners = vec3(0.2, 0.4, 1.0);  // bottom right blue
    if (uv.x < 0.06 && uv.y < 0.06) corners = vec3(1.0, 1.0, 0.2);  // bottom left yellow
    vec3 card = max(max(vec3(grid * 0.5 + border + ring + cross_hair), bars), corners);
    // the audience page's QR code, a quarter of the height, inside the bottom right corner
    float side = 0.25 * u_resolution.y;
    vec2 at = (px - vec2(u_resolution.x - side - 0.08 * u_resolution.y, 0.08 * u_resolution.y)) / side;
    if (u_has_code && all(greaterThanEqual(at, vec2(0.0))) && all(lessThan(at, vec2(1.0)))) {
        card = vec3(texture(u_code, vec2(at.x, 1.0 - at.y)).r);
    }
    // a slice's name, at the top left, so each projector says which it is
    vec2 label = vec2(textureSize(u_label, 0));
    vec2 in_label = (px - vec2(0.06 * u_resolution.y, u_resolution.y - 0.06 * u_resolution.y - label.y)) / label;
    if (u_has_label && all(greaterThanEqual(in_label, vec2(0.0))) && all(lessThan(in_label, vec2(1.0)))) {
        card = max(card * 0.2, vec3(texture(u_label, vec2(in_label.x, 1.0 - in_label.y)).r));
    }
    return card;
}

void main() {
    vec3 p = u_to_image * vec3(v_uv, 1.0);
    vec2 uv = p.xy / p.z;
    if (p.z <= 0.0 || any(lessThan(uv, vec2(0.0))) || any(greaterThan(uv, vec2(1.0)))) {
        colour = vec4(0.0, 0.0, 0.0, 1.0);
        return;
    }
    vec3 image = u_test_card ? test_card(uv) : texture(u_image, u_region.xy + uv * u_region.zw).rgb;
    float edge = ramp(uv.x, u_blend.x) * ramp(1.0 - uv.x, u_blend.y) * ramp(uv.y, u_blend.z) * ramp(1.0 - uv.y, u_blend.w);
    vec3 light = pow(image * edge, vec3(u_gamma));  // in the projector's light, where black adds up
    light += u_black * (1.0 - light) * float(edge >= 1.0);
    colour = vec4(pow(light, vec3(1.0 / u_gamma)), 1.0);
}
