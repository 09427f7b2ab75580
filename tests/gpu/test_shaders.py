import logging

import pytest

from neoterra_glow.gpu.shaders import ShaderError, ShaderLibrary, expand

VERT = "#version 430\nvoid main() { gl_Position = vec4(0.0); }\n"


@pytest.fixture
def root(tmp_path):
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "tint.glsl").write_text('#include "common/base.glsl"\nvec3 tint() { return base() * 2.0; }\n')
    (tmp_path / "common" / "base.glsl").write_text("vec3 base() { return vec3(0.25); }\n")
    (tmp_path / "plain.vert").write_text(VERT)
    return tmp_path


def write(root, name, text):
    (root / name).write_text(text)
    return name


def test_includes_are_inlined_once_and_lines_keep_their_origin(root):
    write(root, "a.frag", '#version 430\n#include "common/tint.glsl"\n#include "common/base.glsl"\nout vec4 c;\n')
    source = expand(root, "a.frag")
    assert source.text.count("vec3 base()") == 1
    assert source.where(1) == "shaders/a.frag:1"
    assert source.where(2) == "shaders/common/base.glsl:1"
    assert source.where(3) == "shaders/common/tint.glsl:2"
    assert source.where(4) == "shaders/a.frag:4"


def test_an_include_cycle_is_refused_naming_the_chain(root):
    write(root, "common/loop_a.glsl", '#include "common/loop_b.glsl"\n')
    write(root, "common/loop_b.glsl", '\n#include "common/loop_a.glsl"\n')
    write(root, "c.frag", '#version 430\n#include "common/loop_a.glsl"\n')
    with pytest.raises(ShaderError) as error:
        expand(root, "c.frag")
    assert str(error.value) == (
        "shaders/common/loop_b.glsl:2: include cycle: c.frag -> common/loop_a.glsl -> common/loop_b.glsl -> common/loop_a.glsl"
    )


def test_a_missing_include_names_where_it_was_asked_for(root):
    write(root, "m.frag", '#version 430\n\n#include "common/nowhere.glsl"\n')
    with pytest.raises(ShaderError, match=r"^shaders/m.frag:3: no shader file shaders/common/nowhere.glsl$"):
        expand(root, "m.frag")


def test_a_compile_error_in_an_included_file_reports_that_file_and_line(ctx, root):
    write(root, "common/broken.glsl", "float ok() { return 1.0; }\nfloat bad() { return missing_name; }\n")
    write(root, "b.frag", '#version 430\n#include "common/broken.glsl"\nout vec4 c;\nvoid main() { c = vec4(ok()); }\n')
    with pytest.raises(ShaderError) as error:
        ShaderLibrary(ctx, root).program("plain.vert", "b.frag")
    first = str(error.value).splitlines()[0]
    assert first.startswith("shaders/common/broken.glsl:2: ") and "missing_name" in first


def test_a_compile_error_after_an_include_reports_the_line_in_the_file(ctx, root):
    write(root, "d.frag", '#version 430\n#include "common/tint.glsl"\nout vec4 c;\n\nvoid main() { c = vec4(tint(), oops); }\n')
    with pytest.raises(ShaderError, match=r"^shaders/d.frag:5: .*oops"):
        ShaderLibrary(ctx, root).program("plain.vert", "d.frag")


def test_a_link_error_names_the_program_files(ctx, root):
    # a function declared and never defined: every driver's linker refuses it (an unwritten
    # varying is only a warning on some, NVIDIA's among them)
    write(root, "e.frag", "#version 430\nvec3 never_defined();\nout vec4 c;\nvoid main() { c = vec4(never_defined(), 1.0); }\n")
    with pytest.raises(ShaderError, match=r"shaders/plain.vert, shaders/e.frag: link: .*never_defined"):
        ShaderLibrary(ctx, root).program("plain.vert", "e.frag")


def test_a_compute_shader_error_is_mapped_too(ctx, root):
    write(root, "k.comp", "#version 430\nlayout(local_size_x = 1) in;\nvoid main() {\n  undefined_call();\n}\n")
    with pytest.raises(ShaderError, match=r"^shaders/k.comp:4: .*undefined_call"):
        ShaderLibrary(ctx, root).program("k.comp")


def test_programs_are_cached(ctx, root):
    write(root, "f.frag", "#version 430\nout vec4 c;\nvoid main() { c = vec4(1.0); }\n")
    library = ShaderLibrary(ctx, root)
    assert library.program("plain.vert", "f.frag") is library.program("plain.vert", "f.frag")


def test_reload_keeps_the_last_good_program_and_says_why(ctx, root, caplog):
    write(root, "g.frag", "#version 430\nout vec4 c;\nuniform float u_gain;\nvoid main() { c = vec4(u_gain); }\n")
    library = ShaderLibrary(ctx, root)
    shader = library.program("plain.vert", "g.frag")
    good = shader.program
    write(root, "g.frag", "#version 430\nout vec4 c;\nvoid main() { c = vec4(u_gone); }\n")
    with caplog.at_level(logging.ERROR):
        errors = library.reload()
    assert len(errors) == 1 and errors[0].startswith("shaders/g.frag:3: ") and "u_gone" in errors[0]
    assert "keeping the last good version" in caplog.text
    assert shader.program is good and shader.generation == 0 and shader.error == errors[0]
    assert "u_gain" in shader.program

    write(root, "g.frag", "#version 430\nout vec4 c;\nuniform float u_level;\nvoid main() { c = vec4(u_level); }\n")
    assert library.reload() == []
    assert shader.program is not good and shader.generation == 1 and shader.error is None
    assert "u_level" in shader.program


def test_reload_leaves_unchanged_programs_alone(ctx, root):
    write(root, "h.frag", "#version 430\nout vec4 c;\nvoid main() { c = vec4(1.0); }\n")
    library = ShaderLibrary(ctx, root)
    shader = library.program("plain.vert", "h.frag")
    before = shader.program
    assert library.reload() == [] and shader.program is before


def test_an_include_that_is_not_text_is_a_shader_error_on_reload_not_a_crash(ctx, root):
    write(root, "u.frag", '#version 430\n#include "common/tint.glsl"\nout vec4 c;\nvoid main() { c = vec4(tint(), 1.0); }\n')
    library = ShaderLibrary(ctx, root)
    shader = library.program("plain.vert", "u.frag")
    (root / "common" / "base.glsl").write_bytes(b"vec3 base() { return vec3(0.25); }\n\xff\xfe\x80\n")
    errors = library.reload()
    assert len(errors) == 1 and "cannot read shaders/common/base.glsl" in errors[0]
    assert shader.error and library.errors() == errors


def test_an_include_cannot_leave_the_shader_library(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "x.glsl"
    outside.write_text("vec3 x() { return vec3(1.0); }\n")
    for target in (str(outside), "../" * 10 + str(outside).lstrip("/")):
        write(root, "esc.frag", f'#version 430\n#include "{target}"\n')
        with pytest.raises(ShaderError, match=r"shaders/esc.frag:2: .* is outside the shader library"):
            expand(root, "esc.frag")


FADE = ("#version 430\nout vec4 c;\nuniform float u_fade;\nuniform vec3 u_unused;  // declared, optimised away\n\n"
        "void main() {\n    c = vec4(u_fade);\n}\n")


def test_a_uniform_the_shader_never_declares_is_an_error_at_its_main_and_an_unused_one_is_fine(ctx, root):
    shader = ShaderLibrary(ctx, root).program("plain.vert", write(root, "fade.frag", FADE))
    shader.set({"u_fade": 0.5, "u_unused": (1.0, 2.0, 3.0)})  # the driver dropped u_unused: skipped
    assert shader.program["u_fade"].value == 0.5
    with pytest.raises(ShaderError) as error:
        shader.set({"u_fdae": 0.5})
    assert str(error.value) == ("shaders/fade.frag:6: the engine sets uniform u_fdae, which this shader never declares; "
                                "did you mean u_fade?")


def test_a_reload_that_drops_a_uniform_the_engine_sets_is_refused(ctx, root):
    library = ShaderLibrary(ctx, root)
    shader = library.program("plain.vert", write(root, "fade.frag", FADE))
    shader.set({"u_fade": 0.5})
    good = shader.program
    write(root, "fade.frag", FADE.replace("uniform float u_fade;", "uniform float u_fading;").replace("vec4(u_fade)", "vec4(u_fading)"))
    [error] = library.reload()
    assert error == "shaders/fade.frag:6: uniform u_fade is no longer declared, and the engine sets it"
    assert shader.program is good and shader.error == error  # the last good program runs on
    write(root, "fade.frag", FADE.replace("vec4(u_fade)", "vec4(u_fade * 2.0)"))
    assert library.reload() == [] and shader.program is not good
