#version 430
// The swarm's light (the bots and their trails) laid over the murals: the scene in HDR.
// The light adds no alpha: in a transparent render the alpha is the tonemap's, from the light.
in vec2 v_uv;
out vec4 colour;
uniform sampler2D u_scene;
uniform sampler2D u_light;

void main() {
    vec4 scene = texture(u_scene, v_uv);
    colour = vec4(scene.rgb + texture(u_light, v_uv).rgb, scene.a);
}
