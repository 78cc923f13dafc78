"""English interface text."""

TEXT = {
    # --- shell ---------------------------------------------------------------------------
    "app_title": "Gradient Lab",
    "nav_start": "Start",
    "nav_techniques": "Techniques",
    "nav_experiment": "Experiment",
    "page_overview": "Vanishing & exploding gradients",
    "page_init": "Initialization",
    "page_activations": "Activations",
    "page_batchnorm": "Batch normalization",
    "page_clipping": "Gradient clipping",
    "page_lab": "Lab",
    "sidebar_header": "Shared settings",
    "sidebar_caption": "These settings apply to every page and are part of the link.",
    "lang_label": "Language / 언어",
    "dataset": "Data set",
    "ds_digits": "digits — 8×8 handwritten, real (1,797)",
    "ds_spirals": "spirals — 2-D, synthetic",
    "ds_moons": "moons — 2-D, synthetic",
    "ds_circles": "circles — 2-D, synthetic",
    "ds_xor": "xor — 2-D, synthetic",
    "depth": "Hidden layers (depth)",
    "width": "Units per hidden layer (width)",
    "optimizer": "Optimizer",
    "opt_sgd": "SGD",
    "opt_momentum": "Momentum (0.9)",
    "opt_adam": "Adam",
    "lr": "Learning rate",
    "batch_size": "Mini-batch size",
    "epochs": "Epochs",
    "seed": "Random seed",
    "seeds": "Seeds per variant",
    "seeds_help": "More than one seed draws the mean and a band (min–max) over seeds.",
    "url_notes": "Some values in this link were not used as written:",
    "url_clamped": "`{name}={raw}` is out of range, so **{used}** was used.",
    "url_ignored": "`{name}={raw}` is not a valid value, so the default **{used}** was used.",
    "budget_over": (
        "This experiment needs about {work} weight-updates, more than one request may use on "
        "this server ({limit}). Lower the epochs, depth, width, seeds or number of variants."
    ),
    "budget_offer": "Use {epochs} epochs (the most allowed)",
    "budget_none": "Even one epoch is over the budget here: lower the depth, width or seeds.",
    "progress": "Training **{variant}** (seed {seed}) — run {i} of {n}",
    "dismiss": "OK",
    "share_label": "Link to this exact experiment",
    # --- shared chart and read-out text --------------------------------------------------
    "chart_curves": "Training curves (train dashed, validation solid)",
    "chart_grad_norm": "Gradient norm by layer, log scale",
    "chart_grad_hist": "Distribution of log10|∂L/∂W| in each layer",
    "chart_act_std": "Activation spread (std) by layer, log scale",
    "chart_act_hist": "Distribution of the activations in each layer",
    "ax_epoch": "epoch",
    "ax_layer": "layer (1 = next to the input)",
    "ax_loss": "loss",
    "ax_accuracy": "accuracy",
    "ax_grad_norm": "‖∂L/∂W‖",
    "ax_log_grad": "log10 |∂L/∂W|",
    "ax_act_std": "std of the layer's outputs",
    "ax_activation": "activation value",
    "ax_share": "share of weights",
    "ax_variant": "variant",
    "ax_split": "split",
    "split_train": "train",
    "split_val": "validation",
    "epoch_select": "Epoch shown in the layer charts (0 = at initialization)",
    "diverged": (
        "**{variant}** diverged in epoch {epoch}: its loss or gradients became NaN or "
        "infinite, so its training stopped there. What it recorded before is drawn."
    ),
    "diverged_marker": "diverged",
    "notice": "What to notice",
    "ro_gradient_ratio": "at initialization, layer 1 receives {ratio} of the gradient norm of layer {top}",
    "ro_saturated": "{share} of the hidden units' outputs sit in a flat, saturated region",
    "ro_act_growth": "the spread (std) of the outputs goes from {first} in layer 1 to {last} in layer {top}",
    "ro_accuracy": "validation accuracy {acc} after {epochs} epochs",
    "ro_diverged": "diverged in epoch {epoch}",
    "section_common": "Training and gradients, side by side",
    "section_page": "This page's experiment",
    "variants_label": "Variants to compare",
    "all_variants_removed": "Choose at least one variant.",
    # --- overview ------------------------------------------------------------------------
    "ov_title": "Vanishing and exploding gradients",
    "ov_intro": (
        "Backpropagation sends the error signal from the output layer down to the lower "
        "layers, multiplying it on the way by each layer's weights and by the derivative of "
        "each activation function. If those factors are mostly smaller than 1, the gradient "
        "shrinks layer after layer: the **vanishing gradients** problem — the lower layers "
        "barely change and training never converges to a good solution. If they are mostly "
        "larger than 1, it grows: the **exploding gradients** problem — updates become huge "
        "and training diverges. Both are cases of **unstable gradients**: different layers "
        "learn at wildly different speeds."
    ),
    "ov_sigmoid_title": "Why the logistic (sigmoid) function starves lower layers",
    "ov_sigmoid_text": (
        "For large |z| the logistic function saturates at 0 or 1 and its derivative is close "
        "to 0, so almost no gradient passes back. Even at z = 0 the derivative is only "
        "σ'(0) = 1/4: ten sigmoid layers multiply the signal by at most (1/4)^10 ≈ 10⁻⁶. "
        "With the old default of weights drawn from N(0, 1), the variance of each layer's "
        "outputs also grows with depth, pushing the activations into the flat regions."
    ),
    "ov_sigmoid_chart": "σ(z) and σ'(z) on [−5, 5]; shaded where σ'(z) < 10 % of its maximum",
    "ov_tangent": "slope 1/4 at 0",
    "ov_saturating": "saturating",
    "ov_function": "σ(z)",
    "ov_derivative": "σ'(z)",
    "ov_demo_title": "A deep network at initialization, before any training",
    "ov_demo_text": (
        "The same {depth}-layer network ({width} units per layer) on the same data, four "
        "ways. Below, each layer's gradient norm and the spread of its outputs, measured on "
        "the same probe batch."
    ),
    "ov_v_sigmoid_normal": "sigmoid + N(0, 1)",
    "ov_v_sigmoid_glorot": "sigmoid + Glorot",
    "ov_v_relu_he": "ReLU + He",
    "ov_v_relu_normal": "ReLU + N(0, 1) (explodes)",
    "ov_links_title": "What fixes it",
    "ov_link_init": "Glorot, He and LeCun initialization keep the variance of the signal.",
    "ov_link_activations": "Non-saturating activations: ReLU, leaky ReLU, ELU, SELU.",
    "ov_link_batchnorm": "Batch normalization re-centres and re-scales every layer's inputs.",
    "ov_link_clipping": "Gradient clipping caps exploding gradients.",
    "ov_link_lab": "Combine everything freely and share the link.",
}
