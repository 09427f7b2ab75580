#version 430
// One quad per glyph on the wall, instanced: its SDF cell placed and scaled in the frame.
in vec4 i_place;  // centre xy (frame units), scale, glow
in vec4 i_cell;   // the glyph's SDF cell in the atlas: u, v, width, height

uniform float u_aspect;
uniform float u_extent;  // glyph units from centre to the cell's edge

out vec2 v_atlas;
out vec2 v_local;  // -1..1 across the quad
out float v_glow;

void main() {
    vec2 corner = vec2(gl_VertexID & 1, (gl_VertexID >> 1) & 1);
    vec2 glyph = (corner * 2.0 - 1.0) * u_extent;
    vec2 pos = i_place.xy + glyph * i_place.z;
    gl_Position = vec4(pos.x / u_aspect, pos.y, 0.0, 1.0);
    v_atlas = i_cell.xy + corner * i_cell.zw;
    v_local = corner * 2.0 - 1.0;
    v_glow = i_place.w;
}
