"""What every script does with its network, whatever the framework: ``run()``, which trains as
the app does and collects the curves; the table it prints; and ``main()``, its command line.

``run()`` is one template: the shared preamble (data, the three random streams, the network and
its initial weights, epoch 0, the app's mini-batch order each epoch) around two framework slots,
what to set up before training and what one epoch does. Each framework's module fills them and
defines the ``build_model``, ``set_initial_weights`` and ``evaluate`` the preamble calls.
"""

from __future__ import annotations

import textwrap

from .blocks import code

_RUN = '''
def run(seed=SEED, on_epoch=None):
    """Train as the app does; return the curves, one value per epoch (epoch 0 first).
    on_epoch(epoch, curves) is called after each epoch."""
    X_train, y_train, X_val, y_val, n_classes = load_data()
    # one seed, three streams: initial weights, mini-batch order, the app's probe batch
    weight_rng, batch_rng, _probe_rng = np.random.default_rng(seed).spawn(3)
    sizes = (X_train.shape[1], *HIDDEN, n_classes)
    model = build_model(sizes)
    set_initial_weights(model, initial_kernels(sizes, weight_rng))
$setup
    curves = {"train_loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}

    def record(epoch, train_loss, train_accuracy):
        val_loss, val_accuracy = evaluate(model, X_val, y_val)
        for key, value in zip(curves, (train_loss, train_accuracy, val_loss, val_accuracy)):
            curves[key].append(float(value))
        if on_epoch is not None:
            on_epoch(epoch, curves)

    record(0, *evaluate(model, X_train, y_train))  # epoch 0: the network as initialized
    n = len(X_train)
    for epoch in range(1, EPOCHS + 1):
        order = batch_rng.permutation(n)  # the app's mini-batch order
$epoch
    return curves
'''


def run_function(setup: str, epoch: str) -> str:
    """``run(seed, on_epoch)``: the shared preamble with ``setup`` (statements, unindented) run
    once the initial weights are in, and ``epoch`` (statements, unindented) as the body of the
    epoch loop, with ``epoch``, ``order`` (a NumPy permutation of the ``n`` training rows),
    ``record(epoch, train_loss, train_accuracy)`` and ``curves`` in scope. ``epoch`` records the
    epoch, or returns ``curves`` early when training diverged."""
    return code(
        _RUN,
        setup=textwrap.indent(setup.strip("\n"), " " * 4),
        epoch=textwrap.indent(epoch.strip("\n"), " " * 8),
    )


REPORT = code(
    """
    # --- Reporting -----------------------------------------------------------------------
    def print_row(epoch, curves):
        if epoch == 0:
            print("epoch  train loss  train acc    val loss  val acc")
        print(
            f"{epoch:>5}  {curves['train_loss'][-1]:>10.4f}  {curves['train_accuracy'][-1]:>9.4f}"
            f"  {curves['val_loss'][-1]:>10.4f}  {curves['val_accuracy'][-1]:>7.4f}"
        )
    """
)

MAIN = code(
    """
    def main():
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--json", action="store_true", help="print the curves as JSON")
        parser.add_argument("--seed", type=int, default=SEED, help=f"run seed (the app's: {SEED})")
        args = parser.parse_args()
        curves = run(args.seed, on_epoch=None if args.json else print_row)
        if args.json:
            validation = {key: curves[key] for key in ("val_accuracy", "val_loss")}
            print(json.dumps(validation))


    if __name__ == "__main__":
        main()
    """
)
