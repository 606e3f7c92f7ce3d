"""``localeq verify``: certify a candidate point as an (ε, δ)-local Nash equilibrium."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from certificates import Verdict, certify_local_nash
from constructions import CLASSIC_GAMES, InvalidArgument, classic_game
from constructions._gamefile import load_game

__all__ = ["register"]


def _floats(text: str, name: str) -> list[float]:
    try:
        return [float(t) for t in text.replace(" ", "").split(",") if t != ""]
    except ValueError:
        raise InvalidArgument(f"{name} must be comma-separated numbers, got {name}={text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify",
        help="certify a point as an (eps, delta)-local Nash equilibrium",
        description=(
            "Certify (VERIFIED), refute (REFUTED, with a witness deviation) or report why not "
            "(INCONCLUSIVE) that a point is an (eps, delta)-local Nash equilibrium. Without a "
            "game, runs the built-in demo: every classic game at its known equilibrium, plus "
            "one perturbed point."
        ),
    )
    p.add_argument("game", nargs="?", help=f"built-in game: {', '.join(sorted(CLASSIC_GAMES))}")
    p.add_argument("--game-file", type=Path, help="JSON game file (localeq.game/1)")
    p.add_argument("--point", help="comma-separated joint strategy (default: a known equilibrium)")
    p.add_argument("--eps", type=float, default=1e-3, help="claimed tolerance (default 1e-3)")
    p.add_argument("--delta", type=float, default=1e-2, help="deviation radius (default 1e-2)")
    p.add_argument("--smoothness", help="comma-separated L_i (assumed); default: proved or declared")
    p.add_argument("--step", type=float, default=1.0, help="residual step size (default 1, DSZ)")
    p.add_argument("--json", type=Path, help="write the certificate as JSON to this file")
    p.add_argument("--quiet", action="store_true", help="print only the verdict line")
    p.add_argument("--second-order", choices=("differential-nash", "local-minimax", "kantorovich"),
                   help="certify a second-order property instead (Newton-Kantorovich existence of an "
                        "exact critical point, differential Nash, strict local minimax)")
    p.add_argument("--jacobian-lipschitz", type=float,
                   help="declared Lipschitz constant of the game Jacobian (non-sympy games only)")
    _register_beyond_points(p)
    p.set_defaults(func=_run)


def _register_beyond_points(p: argparse.ArgumentParser) -> None:
    """Options for distributions, linear deviations and small-gain (issue 6, items 1-3)."""
    g = p.add_argument_group(
        "distributions and structure",
        "--distribution FILE: JSON {\"format\": \"localeq.distribution/1\", \"points\": [[...], ...], "
        "\"weights\": [...], \"deviations\": {\"0\": [[v...]], ...}} (weights optional, default "
        "uniform; deviations = displacement vectors per player for --family finite), or .npz with "
        "arrays points, weights, deviations_<i>.",
    )
    g.add_argument("--distribution", type=Path,
                   help="certify a distribution (local CCE, Cai et al.) instead of a point")
    g.add_argument("--family", choices=("int", "proj", "finite"), default="int",
                   help="deviation family for --distribution (default int)")
    g.add_argument("--linear", action="store_true",
                   help="with --distribution: certify linear (affine) deviations, i.e. a local "
                        "Phi_LIN / correlated equilibrium, by closed forms, LP or SDP")
    g.add_argument("--small-gain", action="store_true",
                   help="certify the block small-gain condition (contraction, safe Euler/RK4 steps)")
    g.add_argument("--mu", help="small-gain: comma-separated curvatures mu_i (declared)")
    g.add_argument("--couplings", help="small-gain: rows of L_ij separated by ';' (declared)")
    g.add_argument("--norms", help="small-gain: comma-separated bounds on ||J_ii|| (declared)")
    g.add_argument("--region-lo", help="small-gain: lower corner of the region box (exact bounds for "
                                       "sympy games, sampled estimates otherwise)")
    g.add_argument("--region-hi", help="small-gain: upper corner of the region box")


def _demo() -> int:
    rows = []
    for name in sorted(CLASSIC_GAMES):
        game = classic_game(name)
        points = game.facts.get("nash_equilibria") or game.facts.get("first_order_local_nash")
        cert = certify_local_nash(game, np.array(points[0]), eps=1e-3, delta=1e-2)
        rows.append((name, str(list(points[0])), cert.verdict.value, cert.epsilon_upper))
    mp = classic_game("matching-pennies")
    bad = certify_local_nash(mp, [0.7, 0.3, 0.5, 0.5], eps=1e-3, delta=1e-2)
    rows.append(("matching-pennies (perturbed)", "[0.7, 0.3, 0.5, 0.5]", bad.verdict.value,
                 bad.epsilon_upper))
    print("localeq verify: (eps=1e-3, delta=1e-2)-local Nash certificates of the built-in games")
    print(f"{'game':30s} {'point':38s} {'verdict':13s} bound on the best delta-gain")
    for name, pt, verdict, bound in rows:
        print(f"{name:30s} {pt[:38]:38s} {verdict:13s} {bound:.3e}")
    if bad.witness is not None:
        w = bad.witness
        print(f"witness for the perturbed point: player {w.player} moves to "
              f"{[round(v, 6) for v in w.deviation]} and gains {w.gain:.3e} > eps")
    ok = all(r[2] == "VERIFIED" for r in rows[:-1]) and rows[-1][2] == "REFUTED"
    return 0 if ok else 1


def _beyond_points(args: argparse.Namespace, game, smooth):  # noqa: ANN001, ANN202
    """Distribution, linear-deviation and small-gain certificates (issue 6, items 1-3)."""
    import numpy as np

    if args.small_gain:
        from certificates._small_gain import (
            certify_small_gain,
            estimate_small_gain_constants,
            exact_small_gain_constants,
            small_gain_constants,
        )

        if args.mu is not None or args.couplings is not None:
            if args.mu is None or args.couplings is None:
                raise InvalidArgument("--small-gain with declared constants needs both --mu and --couplings")
            rows = [_floats(r, "--couplings") for r in args.couplings.split(";")]
            consts = small_gain_constants(_floats(args.mu, "--mu"), rows,
                                          _floats(args.norms, "--norms") if args.norms else None)
        else:
            if args.region_lo is None or args.region_hi is None:
                raise InvalidArgument("--small-gain needs --mu/--couplings or --region-lo/--region-hi")
            lo, hi = _floats(args.region_lo, "--region-lo"), _floats(args.region_hi, "--region-hi")
            if game is None:
                raise InvalidArgument("--small-gain with --region-lo/--region-hi needs a game")
            if game.sympy_data is not None:
                consts = exact_small_gain_constants(game, lo, hi)
            else:
                consts = estimate_small_gain_constants(game, lo, hi)
        return certify_small_gain(consts)
    from certificates._cce import certify_local_cce, load_distribution

    pts, w, devs = load_distribution(args.distribution)
    if args.linear:
        from certificates._linear import certify_linear_deviation

        return certify_linear_deviation(game, pts, w, eps=args.eps)
    deviations = None
    if args.family == "finite":
        if not devs:
            raise InvalidArgument("--family finite needs 'deviations' in the --distribution file")
        deviations = [[np.asarray(v) for v in devs.get(i, [])] for i in range(game.n_players)]
    return certify_local_cce(game, pts, w, eps=args.eps, delta=args.delta, family=args.family,
                             deviations=deviations, smoothness=smooth)


def _run(args: argparse.Namespace) -> int:
    beyond = getattr(args, "distribution", None) is not None or getattr(args, "small_gain", False)
    if beyond and args.game is None and args.game_file is None:
        if not args.small_gain:
            raise InvalidArgument("--distribution needs a game (a built-in name or --game-file)")
        return _finish(args, _beyond_points(args, None, None))
    if args.game is None and args.game_file is None:
        if args.point is not None:
            raise InvalidArgument("--point needs a game (a built-in name or --game-file)")
        return _demo()
    if args.game is not None and args.game_file is not None:
        raise InvalidArgument("give either a built-in game or --game-file, not both")
    game = load_game(args.game_file) if args.game_file is not None else classic_game(args.game)
    if args.point is not None:
        point = _floats(args.point, "--point")
    elif beyond:
        point = None
    else:
        known = game.facts.get("nash_equilibria") or game.facts.get("first_order_local_nash")
        if not known:
            raise InvalidArgument(f"game {game.name!r} has no known equilibrium; pass --point")
        point = list(known[0])
    smooth = _floats(args.smoothness, "--smoothness") if args.smoothness else None
    if smooth is not None and len(smooth) == 1:
        smooth = smooth[0]
    if beyond:
        cert = _beyond_points(args, game, smooth)
    elif getattr(args, "second_order", None):
        from certificates._second_order import (
            certify_differential_nash,
            certify_kantorovich,
            certify_local_minimax,
        )

        so = {"differential-nash": certify_differential_nash, "local-minimax": certify_local_minimax,
              "kantorovich": certify_kantorovich}[args.second_order]
        cert = so(game, point, jacobian_lipschitz=args.jacobian_lipschitz)
    else:
        cert = certify_local_nash(game, point, eps=args.eps, delta=args.delta, smoothness=smooth,
                                  step=args.step)
    return _finish(args, cert)


def _finish(args: argparse.Namespace, cert) -> int:  # noqa: ANN001
    """Print the certificate (or its verdict), write --json, map the verdict to the exit status."""
    if args.quiet:
        print(cert.verdict.value)
    else:
        print(cert.summary())
    if args.json is not None:
        try:
            args.json.write_text(cert.to_json() + "\n")
        except OSError as exc:
            raise InvalidArgument(f"cannot write --json={str(args.json)!r}: {exc.strerror}") from None
        if not args.quiet:
            print(f"certificate written to {args.json}")
    return {Verdict.VERIFIED: 0, Verdict.REFUTED: 1, Verdict.INCONCLUSIVE: 3}[cert.verdict]
