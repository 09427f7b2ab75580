"""ISF shaders written as other hosts' authors write them (GLSL ES style), for the tests."""

SOLID = """/*{
    "DESCRIPTION": "a solid colour, from another host",
    "ISFVSN": "2",
    "INPUTS": [
        {"NAME": "colorA", "TYPE": "color", "DEFAULT": [1.0, 0.5, 0.0, 1.0]},
        {"NAME": "level", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "useLevel", "TYPE": "bool", "DEFAULT": true},
        {"NAME": "mode", "TYPE": "long", "VALUES": [0, 1, 2], "LABELS": ["Red", "Green", "Blue"], "DEFAULT": 0},
        {"NAME": "centre", "TYPE": "point2D", "DEFAULT": [0.5, 0.5], "MIN": [0.0, 0.0], "MAX": [1.0, 1.0]},
        {"NAME": "flash", "TYPE": "event"}
    ]
}*/
precision mediump float;
void main() {
    vec4 c = colorA;
    if (useLevel) c.rgb *= level;
    if (flash) c.rgb = vec3(1.0);
    gl_FragColor = c;
}
"""

FEEDBACK = """/*{
    "ISFVSN": "2",
    "INPUTS": [{"NAME": "step", "TYPE": "float", "DEFAULT": 0.1, "MIN": 0.0, "MAX": 1.0}],
    "PASSES": [
        {"TARGET": "memory", "PERSISTENT": true, "FLOAT": true, "WIDTH": "$WIDTH / 4.0", "HEIGHT": "floor($HEIGHT / 4.0)"},
        {}
    ]
}*/
void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = IMG_NORM_PIXEL(memory, isf_FragNormCoord) + vec4(step, 0.0, 0.0, 0.0);
    } else {
        gl_FragColor = vec4(IMG_THIS_PIXEL(memory).r, IMG_SIZE(memory) / RENDERSIZE, 1.0);
    }
}
"""

IMAGE = """/*{
    "ISFVSN": "2",
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}],
    "IMPORTED": {"stripes": {"PATH": "stripes.png"}}
}*/
void main() {
    vec4 seen = IMG_THIS_NORM_PIXEL(inputImage);
    gl_FragColor = vec4(seen.r, IMG_NORM_PIXEL(stripes, isf_FragNormCoord).g, 0.0, 1.0);
}
"""
