"""Sperner and DSZ BiSperner colourings: checks, generators, the PPAD view, pictures and files.

Public names are re-exported here from private modules; everything not listed in ``__all__`` is
internal. See :mod:`constructions.sperner._colouring` for the conventions (grid, cells, boundary
rules, the reduction ``l(v) = min{i : C^i(v) = -1}``) and :mod:`constructions.sperner._doors` for
doors, orientations and the boundary index.
"""

from __future__ import annotations

from ._checks import (
    BoundaryViolation,
    Certificate,
    CertificateCheck,
    KuhnSimplices,
    boundary_violations,
    certificate_from_simplex,
    check_certificate,
    find_certificate,
    fully_labelled_simplices,
    is_panchromatic,
    is_proper,
    kuhn_simplex_vertices,
    panchromatic_cells,
)
from ._colouring import (
    Colouring,
    bisperner_colouring,
    bisperner_to_sperner,
    implicit_colouring,
    sperner_colouring,
    sperner_labels,
)
from ._doors import (
    BoundaryDoor,
    DoorPath,
    boundary_doors,
    boundary_index,
    door_graph,
    follow_doors,
)
from ._generators import (
    BrouwerMap,
    SpernerInstance,
    brouwer_colouring,
    brouwer_instance,
    content_hash,
    instance_from_colouring,
    planted_instance,
    random_colouring,
    random_instance,
    random_smooth_map,
    rotation_contraction_map,
)
from ._io import load_instance, save_instance
from ._plot import plot_colouring, plot_projection, save_figure

__all__ = [
    # colourings
    "Colouring",
    "sperner_colouring",
    "bisperner_colouring",
    "implicit_colouring",
    "sperner_labels",
    "bisperner_to_sperner",
    # checks
    "BoundaryViolation",
    "boundary_violations",
    "is_proper",
    "is_panchromatic",
    "panchromatic_cells",
    "KuhnSimplices",
    "fully_labelled_simplices",
    "kuhn_simplex_vertices",
    "Certificate",
    "CertificateCheck",
    "certificate_from_simplex",
    "find_certificate",
    "check_certificate",
    # PPAD view
    "BoundaryDoor",
    "DoorPath",
    "boundary_doors",
    "boundary_index",
    "door_graph",
    "follow_doors",
    # generators
    "SpernerInstance",
    "BrouwerMap",
    "rotation_contraction_map",
    "random_smooth_map",
    "brouwer_colouring",
    "brouwer_instance",
    "random_colouring",
    "random_instance",
    "planted_instance",
    "instance_from_colouring",
    "content_hash",
    # files and pictures
    "save_instance",
    "load_instance",
    "plot_colouring",
    "plot_projection",
    "save_figure",
]
