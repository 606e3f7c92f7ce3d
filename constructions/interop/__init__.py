"""Interoperability: bring your own game from Nashpy, pygambit, OpenSpiel, ``.nfg`` files, JAX or PyTorch.

* :func:`from_nashpy`, :func:`from_pygambit`, :func:`from_openspiel` -- the mixed extension of a
  library's normal-form game (:func:`~constructions.normal_form_game`);
* :func:`load_nfg` -- a Gambit ``.nfg`` file (pygambit's reader when installed, else localeq's
  pure-Python :func:`read_nfg` / :func:`parse_nfg`; :func:`write_nfg` writes one);
* :func:`pygambit_profile`, :func:`joint_to_distribution` -- a library's equilibrium (mixed
  profile, or joint distribution for CE/CCE) as the input of localeq's certificates;
* :func:`jax_game`, :func:`torch_game` -- utilities written in JAX or PyTorch, with gradients
  and own-block Hessians by automatic differentiation.

The libraries are optional (extras ``interop``, ``jax``, ``torch``) and imported only inside the
functions that use them, so importing this package never needs them.
"""

from __future__ import annotations

from ._autodiff import jax_game, torch_game
from ._libs import (
    from_nashpy,
    from_nfg_data,
    from_openspiel,
    from_pygambit,
    joint_to_distribution,
    load_nfg,
    pygambit_profile,
)
from ._nfg import NFGData, parse_nfg, read_nfg, write_nfg

__all__ = [
    "from_nashpy",
    "from_pygambit",
    "from_openspiel",
    "from_nfg_data",
    "load_nfg",
    "NFGData",
    "parse_nfg",
    "read_nfg",
    "write_nfg",
    "pygambit_profile",
    "joint_to_distribution",
    "jax_game",
    "torch_game",
]
