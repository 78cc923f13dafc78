"""Study: a batch-normalization layer on the inputs instead of standardising them.

Ioffe and Szegedy (2015) and Géron (ch. 11) note that a BN layer as the network's very first
layer makes standardising the inputs unnecessary. On breast_cancer (30 features whose standard
deviations run from 0.003 to 570), a deep network is trained three ways with
:func:`core.bn_studies.input_bn_study`, every seed:

- raw: raw inputs, no input BN;
- standardized: standardised inputs, no input BN;
- input_bn: raw inputs and a BatchNorm layer before the first Dense.

Printed: one Markdown table per activation (ReLU + He normal, tanh + Glorot uniform) with each
run's final validation accuracy (inference mode: the input BN uses its moving averages), the
same with batch statistics, where it diverged, and the first Dense layer's pre-activation std
at initialization and after training (:func:`core.bn_studies.first_preactivation_std`); then,
per seed, whether the story holds (criteria: :func:`verdict`).

Usage: python bench/input_bn_study.py [--depth 8] [--width 64] [--epochs 15]
       [--convention keras|torch] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ModelConfig, TrainConfig  # noqa: E402
from core.bn_studies import input_bn_study  # noqa: E402

ACTIVATIONS = (("relu", "he_normal"), ("tanh", "glorot_uniform"))
#: "far below": the raw arm ends this far under the standardised one (or diverges) ...
FAIL_MARGIN = 0.10
#: ... and the input-BN arm ends within this of the standardised one
FIX_TOLERANCE = 0.05


def verdict(summary: pd.DataFrame) -> pd.DataFrame:
    """Per seed: ``raw_fails`` (the raw run diverged, or ended >= FAIL_MARGIN below the
    standardised one), ``standardizing_fixes`` (the standardised run finished, >= 0.9),
    ``input_bn_fixes`` (the input-BN run finished within FIX_TOLERANCE of the standardised one,
    in inference mode) and ``holds`` (all three)."""
    rows = []
    for seed, runs in summary.groupby("seed"):
        arm = runs.set_index("variant")
        raw, std, ibn = (arm.loc[name] for name in ("raw", "standardized", "input_bn"))
        raw_fails = not pd.isna(raw.diverged_at) or (
            raw.val_accuracy <= std.val_accuracy - FAIL_MARGIN
        )
        fixes = pd.isna(std.diverged_at) and std.val_accuracy >= 0.9
        bn_fixes = pd.isna(ibn.diverged_at) and (
            ibn.val_accuracy >= std.val_accuracy - FIX_TOLERANCE
        )
        rows.append((seed, raw_fails, fixes, bn_fixes, raw_fails and fixes and bn_fixes))
    columns = ["seed", "raw_fails", "standardizing_fixes", "input_bn_fixes", "holds"]
    return pd.DataFrame(rows, columns=columns)


def table(summary: pd.DataFrame) -> str:
    lines = [
        "| seed | inputs | val acc | val acc (batch stats) | diverged | z1 std init | z1 std end |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in summary.itertuples():

        def num(x, fmt):
            return "–" if isinstance(x, float) and math.isnan(x) else format(x, fmt)

        diverged = "–" if pd.isna(row.diverged_at) else f"epoch {int(row.diverged_at)}"
        lines.append(
            f"| {row.seed} | {row.variant} | {row.val_accuracy:.3f} "
            f"| {num(row.val_batch_stats_accuracy, '.3f')} | {diverged} "
            f"| {num(row.preact_std_init, '.3g')} | {num(row.preact_std_final, '.3g')} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=8)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--convention", default="keras", choices=("keras", "torch"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    cfg = TrainConfig(optimizer="sgd", lr=args.lr, batch_size=32, epochs=args.epochs)
    print(
        f"breast_cancer, {args.depth} x {args.width}, SGD lr {args.lr:g}, batch 32, "
        f"{args.epochs} epochs, BN convention {args.convention}, seeds {args.seeds}\n"
    )
    for activation, init in ACTIVATIONS:
        model = ModelConfig(
            hidden=(args.width,) * args.depth,
            activation=activation,
            init=init,
            bn_convention=args.convention,
        )
        start = time.perf_counter()
        study = input_bn_study(model, cfg, tuple(args.seeds))
        seconds = time.perf_counter() - start
        runs = len(study.summary)
        print(f"### {activation} + {init} ({runs} runs, {seconds:.1f} s in all)\n")
        print(table(study.summary))
        print(f"\nmajority class share in validation: {study.summary.majority.iloc[0]:.3f}")
        print(verdict(study.summary).to_string(index=False))
        print()


if __name__ == "__main__":
    main()
