"""Files (save/load, content hash, corruption) and pictures of Sperner/BiSperner instances."""

from __future__ import annotations

import hashlib
import json
import zipfile

import numpy as np
import pytest
from matplotlib.figure import Figure

from constructions import InvalidArgument
from constructions.sperner import (
    brouwer_instance,
    content_hash,
    instance_from_colouring,
    load_instance,
    planted_instance,
    plot_colouring,
    plot_projection,
    random_instance,
    save_figure,
    save_instance,
    sperner_colouring,
)


def _same(a, b):
    assert a.sha256 == b.sha256
    assert a.generator == b.generator and dict(a.params) == dict(b.params)
    assert a.colouring.kind == b.colouring.kind and a.n == b.n and a.d == b.d
    assert np.array_equal(a.colouring.to_dense().values, b.colouring.to_dense().values)
    if a.solutions is None:
        assert b.solutions is None
    else:
        assert np.array_equal(a.solutions, b.solutions) and np.array_equal(a.orientations, b.orientations)
    assert a.entry == b.entry and a.path_length == b.path_length


@pytest.mark.parametrize(
    "make",
    [
        lambda: planted_instance(16, 2, n_solutions=3, rng=1),
        lambda: planted_instance(7, 3, rng=2, kind="sperner"),
        lambda: random_instance(6, 3, rng=0),
        lambda: brouwer_instance(20, 2, brouwer_map="random_smooth", rng=4),
        lambda: instance_from_colouring(sperner_colouring(np.array([[0, 2], [1, 1]]))),
    ],
    ids=["planted", "planted3-sperner", "random", "brouwer", "user"],
)
def test_dense_round_trip(tmp_path, make):
    inst = make()
    f = tmp_path / "inst.npz"
    digest = save_instance(inst, f)
    assert digest == inst.sha256 == content_hash(inst)
    _same(inst, load_instance(f))


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_implicit_round_trip(tmp_path, suffix):
    for inst in (
        planted_instance(2**20, 2, target=(5, 600_000), n_solutions=5, representation="implicit", rng=3),
        brouwer_instance(2**20, 2, brouwer_map="random_smooth", dense=False, rng=1),
    ):
        f = tmp_path / f"inst{suffix}"
        save_instance(inst, f)
        back = load_instance(f)
        assert back.sha256 == inst.sha256 and not back.colouring.is_dense
        V = np.random.default_rng(0).integers(0, 2**20, size=(100, 2))
        assert np.array_equal(back.colouring(V), inst.colouring(V))


def test_content_hash_is_sha256_of_the_documented_encoding():
    inst = planted_instance(9, 2, target=(4, 4), rng=0)
    header = json.dumps(inst.header(), sort_keys=True, separators=(",", ":")).encode()
    raw = b"localeq-sperner-instance/1\n" + header + b"\n" + inst.colouring.values.tobytes()
    assert content_hash(inst) == hashlib.sha256(raw).hexdigest()


def test_hash_changes_with_one_flipped_sign():
    a = random_instance(6, 2, rng=0)
    vals = a.colouring.values.copy()
    vals[2, 3, 0] *= -1
    from constructions.sperner import bisperner_colouring

    b = instance_from_colouring(bisperner_colouring(vals))
    assert content_hash(instance_from_colouring(a.colouring)) != content_hash(b)


def test_load_rejects_truncated_and_corrupted_files(tmp_path):
    inst = planted_instance(12, 2, rng=0)
    good = tmp_path / "good.npz"
    save_instance(inst, good)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidArgument, match="path="):
        load_instance(truncated)
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip file at all")
    with pytest.raises(InvalidArgument, match="path="):
        load_instance(garbage)
    with pytest.raises(InvalidArgument, match="path="):
        load_instance(tmp_path / "missing.npz")
    # a consistent file whose colouring was altered: the hash no longer matches
    with np.load(good) as z:
        meta, vals = z["meta"], z["values"].copy()
    vals[5, 5, 1] *= -1
    altered = tmp_path / "altered.npz"
    np.savez_compressed(altered, meta=meta, values=vals)
    with pytest.raises(InvalidArgument, match="corrupted"):
        load_instance(altered)
    # metadata edited (the planted solutions changed)
    m = json.loads(meta.tobytes().decode())
    m["solutions"] = [[1, 1]]
    edited = tmp_path / "edited.npz"
    np.savez_compressed(
        edited, meta=np.frombuffer(json.dumps(m).encode(), dtype=np.uint8), values=z_values(good)
    )
    with pytest.raises(InvalidArgument, match="corrupted"):
        load_instance(edited)
    # wrong shapes / values / format
    for bad_vals, match in ((z_values(good)[:5], "values"), (z_values(good) * 0, "signs")):
        f = tmp_path / "bad.npz"
        np.savez_compressed(f, meta=meta, values=bad_vals)
        with pytest.raises(InvalidArgument, match=match):
            load_instance(f)
    other = tmp_path / "other.npz"
    np.savez_compressed(other, x=np.zeros(3))
    with pytest.raises(InvalidArgument, match="meta"):
        load_instance(other)
    m2 = dict(m, version=99)
    f = tmp_path / "v99.npz"
    np.savez_compressed(f, meta=np.frombuffer(json.dumps(m2).encode(), dtype=np.uint8), values=z_values(good))
    with pytest.raises(InvalidArgument, match="version"):
        load_instance(f)
    # a zip member damaged in place (CRC error)
    damaged = tmp_path / "damaged.npz"
    raw = bytearray(data)
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("values.npy")
    pos = info.header_offset + 30 + len(info.filename) + 40
    raw[pos] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    with pytest.raises(InvalidArgument):
        load_instance(damaged)


def z_values(path):
    with np.load(path) as z:
        return z["values"].copy()


def test_save_rejects_bad_arguments(tmp_path):
    inst = planted_instance(8, 2, rng=0)
    with pytest.raises(InvalidArgument, match="path="):
        save_instance(inst, tmp_path / "x.txt")
    with pytest.raises(InvalidArgument, match="path="):
        save_instance(inst, tmp_path / "x.json")  # dense instances need .npz
    with pytest.raises(InvalidArgument, match="instance="):
        save_instance("inst", tmp_path / "x.npz")
    user = instance_from_colouring(planted_instance(2**20, 2, representation="implicit", rng=0).colouring)
    with pytest.raises(InvalidArgument, match="generator"):
        save_instance(user, tmp_path / "u.json")


def test_plot_2d_and_save_png(tmp_path):
    inst = planted_instance(12, 2, target=(3, 5), n_solutions=3, rng=0)
    fig = plot_colouring(inst)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    red = [p for p in ax.patches if p.get_edgecolor()[:3] == (1.0, 0.0, 0.0)]
    assert sorted((int(p.get_x()), int(p.get_y())) for p in red) == [
        tuple(c) for c in inst.solutions.tolist()
    ]
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 1]
    # one long path from the entry and one short path per -/+ pair
    assert sorted(len(ln.get_xdata()) for ln in lines) == [3, inst.path_length]
    out = save_figure(fig, tmp_path / "fig.png")
    assert open(out, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    fig2 = plot_colouring(sperner_colouring(np.array([[0, 2], [1, 1]])))
    assert isinstance(fig2, Figure)


def test_plot_3d_projection(tmp_path):
    inst = planted_instance(8, 3, target=(2, 3, 4), rng=0)
    fig = plot_projection(inst)
    assert len(fig.axes) == 3
    assert all(any(len(ln.get_xdata()) == inst.path_length for ln in ax.get_lines()) for ax in fig.axes)
    save_figure(fig, tmp_path / "p.png")


def test_plot_rejects_bad_input(tmp_path):
    with pytest.raises(InvalidArgument, match="d="):
        plot_colouring(planted_instance(6, 3, rng=0))
    with pytest.raises(InvalidArgument, match="d="):
        plot_projection(planted_instance(6, 2, rng=0))
    with pytest.raises(InvalidArgument, match="colouring="):
        plot_colouring(np.zeros((3, 3)))
    fig = plot_colouring(planted_instance(6, 2, rng=0))
    with pytest.raises(InvalidArgument, match="path="):
        save_figure(fig, tmp_path / "fig.pdf")
