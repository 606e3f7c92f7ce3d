"""Optional dependencies stay optional: with Nashpy, pygambit, OpenSpiel, JAX and PyTorch all
hidden, ``constructions.interop`` still imports, the pure-Python ``.nfg`` route works, and the
library-specific functions raise a clear ImportError naming the extra to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np

import constructions
from constructions.interop import __all__ as interop_all

SCRIPT = textwrap.dedent(
    """
    import sys
    for name in ("nashpy", "pygambit", "pyspiel", "open_spiel", "jax", "torch"):
        sys.modules[name] = None            # 'import name' now raises ImportError
    import numpy as np
    import constructions, certificates
    from constructions.interop import (from_nashpy, from_openspiel, from_pygambit, jax_game, load_nfg,
                                       torch_game)
    path = sys.argv[1]
    game = load_nfg(path)                   # reader="auto" falls back to the pure-Python reader
    assert game.facts["source"] == "nfg", game.facts["source"]
    cert = certificates.certify_local_nash(game, [0.0, 1.0, 0.0, 1.0], eps=1e-9, delta=1.5)
    assert cert.verdict.value == "VERIFIED"
    for fn, arg, extra in ((from_pygambit, None, "interop"), (from_openspiel, "matrix_rps", "interop"),
                           (jax_game, lambda z: z, "jax"), (torch_game, lambda z: z, "torch")):
        try:
            fn(arg) if fn in (from_pygambit, from_openspiel) else fn(arg, dims=[1])
        except ImportError as exc:
            assert f"localeq[{extra}]" in str(exc), exc
        else:
            raise AssertionError(f"{fn.__name__} did not raise ImportError")
    try:
        load_nfg(path, reader="pygambit")
    except ImportError:
        pass
    else:
        raise AssertionError("reader='pygambit' without pygambit must raise")
    print("ok")
    """
)


def test_interop_works_without_optional_libraries(tmp_path):
    path = tmp_path / "pd.nfg"
    path.write_text('NFG 1 R "PD" { "1" "2" } { 2 2 } 3 3 5 0 0 5 1 1')
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_public_names_have_numpydoc_examples():
    import constructions.interop as interop

    for name in interop_all:
        doc = getattr(interop, name).__doc__ or ""
        assert "Examples\n" in doc and ">>>" in doc, name
    assert constructions.interop is interop
    assert np.__name__ == "numpy"
