// Colour helpers. Parameters hold colours as artists pick them (sRGB);
// light is added up in linear space.
vec3 srgb_to_linear(vec3 c) {
    return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(0.04045, c));
}

vec3 linear_to_srgb(vec3 c) {
    c = max(c, 0.0);
    return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(0.0031308, c));
}

float luminance(vec3 c) {
    return dot(c, vec3(0.2126, 0.7152, 0.0722));
}

// Hue (0..1 round the wheel), saturation and value.
vec3 rgb_to_hsv(vec3 c) {
    float hi = max(c.r, max(c.g, c.b)), span = hi - min(c.r, min(c.g, c.b));
    float h = 0.0;
    if (span > 1e-6) {
        h = hi == c.r ? mod((c.g - c.b) / span, 6.0) : (hi == c.g ? (c.b - c.r) / span + 2.0 : (c.r - c.g) / span + 4.0);
    }
    return vec3(h / 6.0, hi > 0.0 ? span / hi : 0.0, hi);
}

vec3 hsv_to_rgb(vec3 c) {
    vec3 ramp = clamp(abs(mod(c.x * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
    return c.z * mix(vec3(1.0), ramp, c.y);
}

// Between two colours through the hues between them, the shorter way round the wheel, as a
// painter mixes: an RGB blend of far hues passes through grey (cyan and pink make beige).
vec3 between_hues(vec3 a, vec3 b, float t) {
    vec3 p = rgb_to_hsv(a), q = rgb_to_hsv(b);
    if (p.y < 0.01) p.x = q.x;  // a grey end has no hue of its own
    if (q.y < 0.01) q.x = p.x;
    float turn = q.x - p.x;
    turn -= round(turn);
    return hsv_to_rgb(vec3(fract(p.x + turn * t), mix(p.y, q.y, t), mix(p.z, q.z, t)));
}

// ACES filmic curve, the fit by Narkowicz (2015): each channel on its own.
vec3 aces(vec3 x) {
    return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

// The light ACES turns into y (0..0.98), each channel: the root of (2.43y - 2.51)x^2 + (0.59y - 0.03)x + 0.14y = 0.
vec3 aces_inverse(vec3 y) {
    vec3 a = 2.43 * y - 2.51, b = 0.59 * y - 0.03, c = 0.14 * y;
    return (-b - sqrt(max(b * b - 4.0 * a * c, 0.0))) / (2.0 * a);
}
