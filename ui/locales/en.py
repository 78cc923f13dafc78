"""English interface text."""

TEXT = {
    # --- shell ---------------------------------------------------------------------------
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
    "dataset": "Data set",
    "ds_digits": "digits — 8×8 handwritten, real (1,797)",
    "ds_spirals": "spirals — 2-D, synthetic",
    "ds_moons": "moons — 2-D, synthetic",
    "ds_circles": "circles — 2-D, synthetic",
    "ds_xor": "xor — 2-D, synthetic",
    "ds_fashion_mnist": "fashion_mnist — 28×28 clothing images, real (70,000)",
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
    "budget_over": (
        "The experiments on this page need about **{seconds} s** of computing and **{mb} MB** "
        "of memory together; one request may use {limit} s and {limit_mb} MB on this shared "
        "server. Lower the epochs, depth, width, seeds or number of variants."
    ),
    "budget_offer": "Use {epochs} epochs (the most allowed)",
    "budget_none": "Even one epoch is over the budget here: lower the depth, width or seeds.",
    "progress": "Training **{variant}** (seed {seed}) — run {i} of {n}",
    "progress_queued": "Waiting for a free worker: other visitors' runs are training…",
    "live_layers": "Back-propagated gradient ‖∂L/∂z‖ at epoch {epoch}",
    "live_layers_note": "the latest epoch of the run under way, and the runs before it at the same epoch; every chart appears when all runs are done",
    "dismiss": "OK",
    "share_label": "Link to this exact experiment",
    # --- shared chart and read-out text --------------------------------------------------
    "chart_curves": "Training curves (train dashed, validation solid)",
    "chart_backprop_norm": "Back-propagated gradient ‖∂L/∂z‖",
    "chart_grad_norm": "Weight gradient ‖∂L/∂W‖",
    "chart_update_ratio": "Relative update ‖ΔW‖/‖W‖, last step",
    "chart_slope_mean": "Mean slope |f′(z)| of the activation",
    "chart_grad_hist": "Distribution of log10|∂L/∂W| in each layer",
    "chart_act_std": "Spread (std) of each layer's outputs",
    "chart_act_hist": "Distribution of the activations in each layer",
    "ax_epoch": "epoch",
    "ax_layer": "layer (1 = next to the input)",
    "ax_loss": "loss",
    "ax_accuracy": "accuracy",
    "ax_grad_norm": "‖∂L/∂W‖",
    "ax_backprop_norm": "‖∂L/∂z‖",
    "ax_update_ratio": "‖ΔW‖ / ‖W‖",
    "ax_slope_mean": "mean |f′(z)|",
    "layer_output": "output layer (logits)",
    "why_two_gradients": "Each chart is drawn against the layer, on a log scale; the hollow square on each line is the output layer. Why two gradients: ‖∂L/∂z‖ is what backpropagation carries down, and it is what vanishes or explodes. The weights' gradient is that signal times the layer's input, Var[∂L/∂W] ≈ Var[x] · Var[∂L/∂z] (Glorot & Bengio 2010), so when the forward signal grows as the backward one shrinks, ‖∂L/∂W‖ can stay flat across layers.",
    "ax_log_grad": "log10 |∂L/∂W|",
    "ax_act_std": "std of the layer's outputs",
    "ax_activation": "activation value",
    "ax_share": "share of weights",
    "ax_variant": "variant",
    "ax_split": "split",
    "split_train": "train",
    "split_val": "validation",
    "hist_zero_note": "The leftmost bin also holds the gradients that are exactly zero (dead units, constant input pixels); the rightmost holds every |∂L/∂W| from 10⁴ up.",
    "play_epoch": "Epoch",
    "play_play": "Play ▶",
    "play_title": "Epoch {epoch} of {last}",
    "play_title_init": "Epoch 0 of {last}: the network at initialization, as the read-out above describes it",
    "play_thinned": "To keep the page light, this chart holds one epoch in {stride}, and the last",
    "play_timeline": "epoch (click one to keep it in the link)",
    "play_no_update": "No update yet at epoch 0: ‖ΔW‖/‖W‖ starts at epoch 1",
    "play_help": "Play ▶ runs through the epochs in your browser; drag the Epoch slider, or click it and press the arrow keys, to step one epoch at a time. Click an epoch on the timeline to keep it in the link to share.",
    "diverged": (
        "**{variant}** diverged in epoch {epoch}: its loss or gradients became NaN or "
        "infinite, so its training stopped there. What it recorded before is drawn."
    ),
    "diverged_marker": "diverged",
    "notice": "What to notice",
    "ro_bp_vanishing": "**vanishing** at initialization: ‖∂L/∂z₁‖ / ‖∂L/∂z{top}‖ = {ratio} (for ‖∂L/∂W‖: {w})",
    "ro_bp_exploding": "**exploding** at initialization: ‖∂L/∂z₁‖ / ‖∂L/∂z{top}‖ = {ratio} (for ‖∂L/∂W‖: {w})",
    "ro_bp_steady": "steady at initialization: ‖∂L/∂z₁‖ / ‖∂L/∂z{top}‖ = {ratio} (for ‖∂L/∂W‖: {w})",
    "ro_bp_unknown": "the back-propagated gradient could not be measured (not finite)",
    "ro_saturated": "{share} of the hidden units' outputs sit in a flat, saturated region",
    "ro_act_growth": "the spread (std) of the outputs goes from {first} in layer 1 to {last} in layer {top}",
    "ro_accuracy_learning": "validation accuracy {start} → {acc} after {epochs} epochs, still rising",
    "ro_accuracy_plateau": "validation accuracy {start} → {acc} after {epochs} epochs, no longer rising",
    "ro_accuracy_stalled": "validation accuracy {start} → {acc} after {epochs} epochs: it has not learned",
    "label_verdict": "{label} — {verdict}",
    "trend_vanishing": "vanishing",
    "trend_exploding": "exploding",
    "trend_steady": "steady",
    "trend_unknown": "not finite",
    "diverged_seed": "{variant} (seed {seed})",
    "act_hist_overflow_note": "Values beyond ±5 are counted in the two outermost, lighter bars, drawn just beyond ±5 (not piled up at ±5 as if that were their value).",
    # --- claims: each sentence is said only when its predicate holds over the run shown -----
    "claim_derivative_max": "**Same weights, different derivative.** {sigmoid} and {tanh} start from the same weights, but σ′ ≤ 1/4 while tanh′ ≤ 1: the back-propagated gradient reaching layer 1 is {sigmoid_bp} of layer {top}'s with sigmoid, against {tanh_bp} with tanh. (Sigmoid's outputs are also centred on 0.5 rather than 0, which Glorot & Bengio found drives the top layers into saturation during training.)",
    "claim_derivative_max_measured": "Measured: layer 1 receives {sigmoid_bp} of layer {top}'s back-propagated gradient with {sigmoid} and {tanh_bp} with {tanh}.",
    "claim_saturation": (
        "**Large weights saturate instead.** With {sigmoid} the back-propagated gradient does "
        "not vanish here ({sigmoid_bp} from layer {top} to layer 1), but {sigmoid_sat} of the "
        "hidden units sit in σ's flat regions, where they pass almost no gradient and barely "
        "learn."
    ),
    "claim_saturation_measured": (
        "Measured for {sigmoid}: {sigmoid_sat} of the hidden units saturated; layer 1 receives "
        "{sigmoid_bp} of layer {top}'s back-propagated gradient."
    ),
    "claim_flat_weight_gradient": "**The weight gradient hides where the explosion happens.** With {relu} the back-propagated gradient at layer 1 is {relu_bp} times that of layer {top}, yet ‖∂L/∂W‖ is about the same in every layer (layer 1 / layer {top} = {relu_w}): huge everywhere, because the forward signal is huge in the top layers just where the backward one is small. Its profile across layers shows no explosion toward the input; ‖∂L/∂z‖'s does.",
    "claim_flat_weight_gradient_measured": (
        "Measured for {relu}: layer 1 receives {relu_bp} times layer {top}'s back-propagated "
        "gradient and {relu_w} times its weight gradient."
    ),
    "claim_glorot_shrinks": (
        "**Glorot halves the variance at every ReLU layer.** The std of the outputs goes from "
        "{glorot_first} in layer 1 to {glorot_top} in layer {top} with {glorot}, while {he} "
        "keeps it ({he_first} → {he_top})."
    ),
    "claim_glorot_shrinks_measured": (
        "Measured: the std of the outputs goes from {glorot_first} to {glorot_top} (layer "
        "{top}) with {glorot} and from {he_first} to {he_top} with {he}."
    ),
    "claim_signal_explodes": (
        "**N(0, 1) weights blow the signal up.** With {normal} the std of the outputs grows "
        "from {normal_first} in layer 1 to {normal_top} in layer {top}; {he} keeps it "
        "({he_first} → {he_top})."
    ),
    "claim_signal_explodes_measured": (
        "Measured: the std of the outputs goes from {normal_first} to {normal_top} (layer "
        "{top}) with {normal} and from {he_first} to {he_top} with {he}."
    ),
    "ro_diverged": "diverged in epoch {epoch}",
    "section_page": "This page's experiment",
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
        "to 0, so almost no gradient passes back through it. Even at its steepest, z = 0, the "
        "derivative is only σ'(0) = 1/4: every sigmoid layer scales the back-propagated "
        "gradient by at most 1/4 times its weights. With weights sized to keep the signal's "
        "variance (Glorot), that leaves a factor of about 1/4 per layer — ten layers, about "
        "10⁻⁶. Much larger weights, such as the old N(0, 1), push most inputs z far from 0, "
        "into the flat parts: then most units are **saturated** instead."
    ),
    "ov_sigmoid_chart": "σ(z) and σ'(z) on [−5, 5]; shaded where σ'(z) < 10 % of its maximum",
    "ov_tangent": "slope 1/4 at 0",
    "ov_saturating": "saturating",
    "ov_function": "σ(z)",
    "ov_derivative": "σ'(z)",
    "ov_demo_title": "A deep network at initialization, before any training",
    "ov_demo_text": "The same {depth}-layer network ({width} units per layer) on the same data, five ways, measured on one probe batch before any training. First: ‖∂L/∂z‖, the gradient back-propagated to each layer's pre-activations — the signal that vanishes or explodes. Second: ‖∂L/∂W‖, the weights' gradient. Then the spread of each layer's outputs and the mean slope |f′(z)| of its activation.",
    "ov_v_sigmoid_normal": "sigmoid + N(0, 1)",
    "ov_v_sigmoid_glorot": "sigmoid + Glorot",
    "ov_v_relu_he": "ReLU + He",
    "ov_v_tanh_glorot": "tanh + Glorot",
    "ov_v_relu_normal": "ReLU + N(0, 1)",
    "ov_links_title": "What fixes it",
    "ov_link_init": "Glorot, He and LeCun initialization keep the variance of the signal.",
    "ov_link_activations": "Non-saturating activations: ReLU, leaky ReLU, ELU, SELU.",
    "ov_link_batchnorm": "Batch normalization re-centres and re-scales every layer's inputs.",
    "ov_link_clipping": "Gradient clipping caps exploding gradients.",
    # --- initialization page -------------------------------------------------------------
    "in_title": "Initialization: Glorot, He and LeCun against naive weights",
    "in_intro": (
        "For the signal to flow well in both directions, Glorot and Bengio argued that the "
        "variance of each layer's outputs should equal the variance of its inputs, and the "
        "gradients should keep their variance too on the way back. Both hold only if a layer "
        "has as many inputs as outputs; the compromise is to draw the weights with a variance "
        "set by the layer's **fan-in** and **fan-out**. He initialization does the same for "
        "ReLU, which cuts half of the signal, and LeCun initialization is what SELU needs."
    ),
    "in_fan_avg": (
        "Note the /2: **fan_avg = (fan_in + fan_out) / 2**, not their sum. Keras' default "
        "`kernel_initializer` is **Glorot uniform**; its `*_normal` variants draw from a normal "
        "truncated at ±2σ and rescaled so that the variance is exactly σ² (PyTorch's "
        "`kaiming_normal_` does not truncate)."
    ),
    "in_table_title": "The table, computed for this network's layer sizes",
    "in_col_strategy": "strategy",
    "in_col_acts": "activation functions",
    "in_col_var": "σ² (normal)",
    "in_col_r": "r (uniform: U(−r, r))",
    "in_col_hidden": "σ² / r for a hidden layer ({n}→{n})",
    "in_col_first": "σ² / r for layer 1 ({i}→{n})",
    "in_s_glorot": "Glorot (Xavier)",
    "in_s_he": "He",
    "in_s_lecun": "LeCun",
    "in_acts_glorot": "none, tanh, logistic, softmax",
    "in_acts_he": "ReLU and its variants",
    "in_acts_lecun": "SELU",
    "in_controls": "What to compare",
    "in_activation": "Hidden activation (the same for every variant)",
    "in_inits": "Initializers",
    "in_init_std": "σ of N(0, σ²) and of the uniform naive weights",
    "in_normal": "Normal variants",
    "in_truncated": "truncated at ±2σ (Keras)",
    "in_untruncated": "untruncated (PyTorch)",
    "in_preset_he": "Preset: He et al. (2015) — 30-layer ReLU net, Glorot vs He",
    "in_signal_title": "Signal propagation at initialization: measured vs predicted",
    "in_signal_text": (
        "Dots: the measured std of each hidden layer's outputs on the probe batch. Dashed: "
        "what theory predicts for the ReLU family — each layer multiplies the signal's "
        "second moment by fan_in·σ²·(1 + α²)/2, so He keeps it, Glorot halves it on square "
        "layers and N(0, 1) multiplies it by fan_in/2."
    ),
    "in_no_theory": "There is no closed-form prediction for {activation}; only measurements are drawn.",
    "in_weights_title": "The weights each initializer draws (one {n}×{n} hidden layer)",
    "in_weights_text": "Dashed lines: the ±2σ truncation bound of Keras' normal variants.",
    "in_act_hist_open": "Each layer's activations at initialization (histograms)",
    "ax_weight": "weight value",
    "ax_count": "count",
    # --- activations page ----------------------------------------------------------------
    "ac_title": "Activations: saturating vs non-saturating",
    "ac_intro": "Backpropagation multiplies the gradient, layer after layer, by each activation's derivative f′(z). The logistic function's derivative is at most 1/4, so even a network whose units all sit at z = 0 shrinks the gradient by 4 per layer; tanh's and ReLU's reach 1. Both logistic and tanh also **saturate**: for large |z| the derivative is almost 0. Géron's *Hands-On Machine Learning* (ch. 11) calls the ReLU family **non-saturating**: ReLU does not saturate for positive inputs, but a unit whose weighted input is negative for every example outputs 0 and gets no gradient at all — a **dying ReLU**. Leaky ReLU keeps a small slope α for z < 0. ELU and SELU saturate on the negative side by design (ELU levels off at −α, SELU at −λα ≈ −1.76, so a unit far below 0 passes little gradient) and are linear above 0; SELU scales ELU so that a plain stack of dense layers **self-normalizes**.",
    "ac_gallery": "Each activation (solid) and its derivative (dashed), each with its own y-axis; shaded where |f′(z)| is below 10 % of its maximum",
    "ac_gallery_open": "Every activation and its derivative, side by side",
    "ac_gallery_panel": "{name} (largest f′: {max})",
    "ac_slope_title": "How much each layer passes back: the mean slope |f′(z)| at initialization",
    "ac_slope_text": "The average of |f′(z)| over a layer's units is the factor by which its activation scales the back-propagated gradient, on top of what the weights do. Glorot weights are sized to keep the gradient's variance when that slope is about 1; with sigmoid's mean slope of about 1/4 the gradient shrinks about 4× per layer.",
    "ac_saturation_text": "Saturated: |f′(z)| below 10 % of the function's largest slope. For ELU and SELU this is the negative side, which they flatten on purpose.",
    "ac_controls": "What to compare",
    "ac_acts": "Activation functions",
    "ac_init": "Initializer",
    "ac_matching": "matching each activation (Glorot / He / LeCun)",
    "ac_leaky_alpha": "α of leaky ReLU",
    "ac_elu_alpha": "α of ELU",
    "ac_preset_dying": "Preset: kill ReLUs with a large Adam learning rate (0.03)",
    "ac_saturation_title": "Saturated share per layer over epochs (colours span 0 to the largest share measured)",
    "ac_dead_title": "Share of units never active on the probe batch (ReLU family)",
    "ac_tab_saturated": "Saturated units",
    "ac_tab_dead": "Dead units (ReLU family)",
    "ac_dead_probe": "Measured on the 64-sample probe batch: a unit can miss all 64 samples by chance, so the share at epoch 0 overstates the truly dead units (on the default network about twice: 8 % on the probe against 4 % over the whole training split), and a share can fall later when a unit becomes active on a probe sample again.",
    "ac_dead_text": "A ReLU unit that is never active gets no gradient through it and cannot recover by itself. A leaky ReLU or ELU unit in the same state still receives a gradient through its negative slope and can come back.",
    "ac_none_saturating": "None of the chosen activations saturates.",
    "ac_none_dying": "None of the chosen activations belongs to the ReLU family.",
    "ac_selu_toggle": "Run the 100-layer self-normalization check",
    "bn_fold_toggle": "Measure the cost of BN and fold it away",
    "ac_selu_title": "SELU's self-normalization: a 100-layer network at initialization",
    "ac_selu_text": (
        "With standardized inputs, LeCun normal weights and a plain stack of dense layers, "
        "SELU keeps every layer's outputs close to mean 0 and standard deviation 1 — here over "
        "100 layers of {width} units — while ReLU + He drifts and tanh + Glorot shrinks. "
        "Self-normalization breaks with unstandardized inputs, other initializations, skip "
        "connections or ordinary dropout (use alpha dropout instead)."
    ),
    "ac_selu_mean": "Distance of each layer's mean from 0, |mean|, log scale",
    "ac_selu_std": "Std of each layer's outputs",
    "ax_act_mean": "|mean| of the layer's outputs",
    "ro_slope": "mean |f′(z)| of the hidden units at initialization {slope}",
    "ro_dead": "{share} of the hidden units never active on the probe batch after epoch {epoch}",
    "ro_saturated_end": "{share} of the hidden outputs saturated after epoch {epoch}",
    # --- batch normalization page --------------------------------------------------------
    "bn_title": "Batch normalization: before or after the activation, training vs inference",
    "bn_intro": (
        "Good initialization and non-saturating activations reduce unstable gradients at the "
        "start of training, but not later. **Batch normalization** adds an operation just "
        "before or after each hidden layer's activation: it zero-centres and normalizes each "
        "input over the current mini-batch, then scales and shifts the result with two "
        "learned parameter vectors. It makes a network far less sensitive to its "
        "initialization and lets it train with larger learning rates."
    ),
    "bn_steps": "The four steps, for a mini-batch $B$ of $m_B$ examples",
    "bn_symbols": (
        "$\\mu_B$ and $\\sigma_B^2$: the mean and (biased) variance of each input over the mini-batch; "
        "$\\hat{x}^{(i)}$: the zero-centred, normalized input; $\\varepsilon$: a smoothing term (Keras 10⁻³) that avoids "
        "division by zero; $\\gamma$ and $\\beta$: the learned scale and shift (offset) vectors; $\\otimes$: "
        "element-wise multiplication; $z^{(i)}$: the output."
    ),
    "bn_inference": (
        "At inference there may be a single example, so the mini-batch statistics are "
        "replaced by moving averages kept during training. Keras: momentum 0.99, ε = 10⁻³; "
        "PyTorch: momentum 0.1 (the weight of the new value), ε = 10⁻⁵ and the unbiased "
        "variance in the running average."
    ),
    "bn_controls": "What to compare",
    "bn_variants": "BN placement",
    "bn_v_none": "no BN",
    "bn_v_before": "BN before the activation",
    "bn_v_after": "BN after the activation",
    "bn_activation": "Hidden activation",
    "bn_init": "Initializer (a poor one shows the point)",
    "bn_convention": "Moving-average convention",
    "bn_keras": "Keras (momentum 0.99, ε 10⁻³)",
    "bn_torch": "PyTorch (momentum 0.1, ε 10⁻⁵)",
    "bn_gap_title": "Training vs inference: validation accuracy with batch statistics vs moving averages",
    "bn_gap_text": (
        "Solid: inference mode, normalizing with the moving averages (what a deployed model "
        "does). Dotted: the same network normalizing the validation set with its own batch "
        "statistics. Early in training the moving averages still lag behind, and the gap "
        "shows how much that costs."
    ),
    "bn_moving": "moving averages",
    "bn_batch": "batch statistics",
    "bn_trace_title": "How fast the moving averages reach the population statistics",
    "bn_trace_text": (
        "Random mini-batches of 32 raw digit images (pixel values 0–16, not standardized) go "
        "through a BN layer; the lines show the average relative error of its moving mean and "
        "variance after each step. Momentum 0.99 needs hundreds of steps."
    ),
    "bn_trace_mean": "relative error of the moving mean",
    "bn_trace_var": "relative error of the moving variance",
    "ax_step": "training step",
    "bn_grid_toggle": "Run the initialization grid: initializers × (no BN, BN)",
    "bn_grid_title": "Less sensitive to initialization: final validation accuracy",
    "bn_sweep_toggle": "Run the learning-rate sweep with and without BN",
    "bn_sweep_title": "Higher learning rates: final training loss against the learning rate, with Glorot initialization",
    "bn_cost_title": "The cost of BN, and folding it away for inference",
    "bn_cost_text": "BN adds computation to every step. After training, a BN layer in inference mode is an affine map, so it can be folded into the neighbouring Dense layer: the network gets smaller and its outputs stay equal up to float32 round-off. Inference times are the best of 20 passes; a difference smaller than the passes' spread is reported as none.",
    "bn_col_variant": "variant",
    "bn_col_step_time": "time per training step",
    "bn_col_max_diff": "largest output difference after folding: absolute (relative)",
    "bn_col_params": "parameters before → after",
    "bn_col_speed": "inference time before → after",
    "ro_bn_gap": "with batch statistics the validation accuracy would be {batch} instead of {moving}",
    # --- gradient clipping page ----------------------------------------------------------
    "cl_title": "Gradient clipping: by value, by norm, by global norm",
    "cl_intro": "To stop exploding gradients, clip them during backpropagation so they never exceed a threshold. It is mostly used in recurrent networks, where batch normalization is awkward, but it helps any network whose gradients sometimes blow up. The three methods treat the update's direction differently. Clipping **by value** (Keras `clipvalue`) caps every component on its own: large components are cut, small ones kept, so the vector turns. Keras' `clipnorm` rescales **each weight tensor** by its own norm: each tensor keeps its direction, but tensors are shrunk by different factors, so the update as a whole turns too. Only clipping by the **global norm** (Keras `global_clipnorm`, PyTorch `clip_grad_norm_`) rescales the whole gradient by one factor and keeps its direction.",
    "cl_code_title": "In code: clipping in Keras and PyTorch",
    "cl_geometry_title": "Geometry: one 2-D gradient, clipped by value and by norm",
    "cl_geometry_text": "One 2-D gradient, as if the network had a single weight tensor of two weights (then per-tensor and global norm clipping coincide). The square is where clipping by value puts every component (|gᵢ| ≤ threshold); the circle is the norm limit. Clipping by value moves the vector onto the square and can turn it; clipping by norm shrinks it along its own direction.",
    "cl_gx": "g₁",
    "cl_gy": "g₂",
    "cl_raw_direction": "raw gradient's direction",
    "cl_by_value": "clipped by value",
    "cl_by_norm": "clipped by norm",
    "cl_angle": "Clipping by value turned the vector by **{angle:.1f}°**: {raw} → {clipped}. Clipping by norm keeps the direction: {normed}.",
    "cl_controls": "What to compare",
    "cl_variants": "Clipping",
    "cl_f_value": "value",
    "cl_f_norm": "norm",
    "cl_f_global": "global",
    "cl_v_none": "no clipping",
    "cl_v_value": "by value (clipvalue)",
    "cl_v_norm": "by norm, per tensor (clipnorm)",
    "cl_v_global_norm": "by global norm (global_clipnorm)",
    "cl_threshold": "Threshold",
    "cl_scenario": "The network (the default's N(0, 0.25²) weights make gradients explode)",
    "cl_activation": "Hidden activation",
    "cl_init": "Initializer",
    "cl_init_std": "σ of N(0, σ²)",
    "cl_training_title": "Over training",
    "cl_tab_steps": "Gradient norm per step",
    "cl_tab_share": "Share of steps clipped",
    "cl_tab_cosine": "Direction kept (cosine)",
    "cl_norm_chart": "Global gradient norm before clipping, every step (log scale)",
    "cl_share_chart": "Share of steps clipped, per epoch",
    "cl_cosine_chart": "Cosine between the raw and the clipped gradient, per epoch",
    "ax_share_clipped": "share clipped",
    "ax_cosine": "cosine",
    "ro_clip": "clipped in {share} of the steps, mean cosine to the raw gradient {cosine}",
    # --- lessons -------------------------------------------------------------------------
    "lessons_title": "Workshop lessons",
    "lessons_text": "Each link sets a page to one scenario and says what to notice. Add `&hide=depth,width,lr` to a link to hide those controls from a class.",
    "lesson_banner": "Lesson: {title}",
    "ls_vanishing": "Sigmoid gradients vanish",
    "ls_vanishing_notice": "Compare the back-propagated gradient ‖∂L/∂z‖ of layer 1 with the top layer's at epoch 0: with sigmoid and Glorot weights it is about a million times smaller; with tanh and the same weights it shrinks only a little; with ReLU it shrinks too, because Glorot weights halve ReLU's signal variance at every layer (He initialization fixes that). The read-out quotes the measured ratios.",
    "ls_exploding": "Exploding weights",
    "ls_exploding_notice": "With N(0, 1) weights each ReLU layer multiplies the std of the signal by about √(width/2): the layer charts open at epoch 0, where the activations grow by orders of magnitude and the back-propagated gradient explodes toward layer 1. Watch what happens to training. He initialization keeps the spread.",
    "ls_he2015": "He et al. (2015): a 30-layer ReLU network",
    "ls_he2015_notice": "With Glorot initialization each ReLU layer halves the variance of the signal, so over 30 layers its std shrinks by about 2^14.5 ≈ 2×10⁴; He initialization keeps it. The page quotes the measured spread at the top layer; compare how the two train.",
    "ls_selu100": "SELU over 100 layers",
    "ls_selu100_notice": "Scroll to the 100-layer check: with SELU and LeCun normal weights the mean stays near 0 and the std near 1 in every layer.",
    "ls_bn_rescue": "Batch normalization rescues a bad initialization",
    "ls_bn_rescue_notice": "The same tanh network with N(0, 1) weights. Without BN most tanh units saturate and the back-propagated gradient explodes toward layer 1 (the read-out gives the ratio); it barely learns. With BN before each activation the inputs of every tanh are normalized and it trains. Also look at the gap between batch statistics and moving averages.",
    "ls_bn_placement": "BN before or after the activation",
    "ls_bn_placement_notice": "ReLU with He weights: both placements train — compare their curves. At the bottom, BN is folded away: for both placements the outputs stay equal up to float32 round-off. Precision is lost only when BN after a saturating activation must cancel large shifts (try the page's default, tanh with N(0, 1) weights).",
    "ls_clipping": "Clipping an exploding run",
    "ls_clipping_notice": "Unclipped, the run diverges in epoch 1; every clipping method keeps it finite. At threshold 1 the norm methods rescale every step (normalized gradient descent), so do not rank the methods at one threshold: scroll to the threshold sweep, which compares each at its best. Compare also how far each method turns the update (cosine).",
    # --- export to PyTorch / Keras (issue 21; ui/export_offer.py) --------------------------
    "ex_title": "Run this comparison yourself in PyTorch or Keras",
    "ex_intro": "Download a script or a notebook that sets up the very same experiment: the same data split and standardisation, the same initial weights, the same mini-batch order, the same optimizer, clipping and batch-normalization conventions. Run it and compare: epoch 0 matches the app exactly, later epochs up to float32 round-off.",
    "ex_variant": "Variant",
    "ex_framework": "Framework",
    "ex_script": "Script (.py)",
    "ex_notebook": "Notebook (.ipynb)",
    "ex_show": "Show the script here",
    "ex_run": "`python {file}` prints the curves, one row per epoch; add `--json` for the validation curves as JSON, `--seed N` for another seed.",
    "ex_where_digits": "Run it from the Gradient Lab folder: it reads `data/digits.csv.gz`.",
    "ex_where_fashion": "It reads Fashion-MNIST from Gradient Lab's cache (`python -m core.fashion_mnist` downloads it once).",
    "ex_where_synthetic": "It draws the {dataset} data itself, with the app's NumPy code and seed.",
    "ex_needs_pytorch": "Needs NumPy 1.25 or later and PyTorch.",
    "ex_needs_keras": "Needs NumPy 1.25 or later and Keras 3 (any backend: TensorFlow, JAX or PyTorch).",
    "ex_seeds": "The file runs seed {seed}, the first of the {n} seeds shown; `--seed N` runs the others.",
    "ex_nb_intro": "# {variant}: a Gradient Lab experiment in {framework}\n\nThis notebook trains the **{variant}** variant of the app's comparison on the {dataset} data. It starts from the very weights the app drew and feeds the same mini-batches in the same order, with the same optimizer, clipping and batch-normalization conventions: epoch 0 matches the app exactly, later epochs up to float32 round-off. The settings are in the first code cell: change one (the initializer, say) and run all cells again to see what it does.",
    # --- lab ------------------------------------------------------------------------------
    "lab_title": "Lab: combine every technique",
    "lab_intro": "Two to four variants side by side, each with its own activation, initializer, batch normalization, optimizer, learning rate and clipping. The shared settings (data set, size, epochs, batch size, seeds) apply to all of them; runs are paired as on every page.",
    "lab_variants": "Number of variants",
    "lab_variant": "Variant {i}",
    "lab_activation": "Activation",
    "lab_init": "Initializer",
    "lab_batchnorm": "Batch normalization",
    "lab_optimizer": "Optimizer",
    "lab_lr": "Learning rate",
    "lab_clip": "Clipping",
    "lab_clip_threshold": "Clipping threshold",
    "lab_boundary_title": "Decision boundaries after training (first seed)",
    "lab_boundary_text": "Colour: the predicted class; lighter where the network is less sure. Dots: the validation points.",
    "lab_boundary_none": "Decision boundaries are drawn for the 2-D data sets (spirals, moons, circles, xor).",
    "lab_boundary_diverged": "{variant} diverged: no boundary to draw.",
    "lab_downloads": "Download",
    "lab_csv": "History (CSV, one row per observation)",
    "lab_json": "Configuration (JSON)",
    "lab_load": "Load a configuration (JSON) saved from this lab",
    "lab_loaded": "Configuration loaded.",
    "ax_x1": "x₁ (standardized)",
    "ax_x2": "x₂ (standardized)",
    "ax_class": "class",
    "ro_clip_keeps": "the direction is kept",
    "ro_clip_turns": "the update is turned by about {angle}° on average",
    "ro_clip_normalized": "it rescales (nearly) every step, so here it acts as normalized gradient descent rather than as a guard against occasional spikes",
    "ro_clip_value_bound": "capping each of the {n} parameters' components at {c} still lets an update's norm reach {c}·√{n} ≈ {bound}",
    "ro_sweep_best": "{method}: best at threshold {threshold} with {acc} validation accuracy (worst threshold: {worst})",
    "trend_diverged": "diverged",
    "claim_keeps_finite": "**Every clipping method keeps the run finite.** Without clipping it diverged; clipped, it ends at: {results}. These accuracies are at one threshold each, so they do not compare the methods fairly: the sweep below compares each at its best threshold.",
    "claim_keeps_finite_measured": "Measured: {results}.",
    "claim_guards_spikes": "**Clipping as a guard.** By global norm, clipping touched only {global_norm_share} of the steps — the spikes — and left the others alone. It ends at {global_norm_acc}; without clipping: {none_acc}.",
    "claim_guards_spikes_measured": "Measured: by global norm {global_norm_acc} with {global_norm_share} of the steps clipped; without clipping {none_acc}.",
    "cl_sweep_title": "A fair comparison: each method over a range of thresholds",
    "cl_sweep_text": "One threshold means very different things to the methods: by value it caps each of about 10⁵ components, by global norm the whole gradient vector. Comparing them at a single threshold mostly compares thresholds. The sweep trains every chosen method at one threshold per decade (10⁻² … 10³, the same data, batches and initial weights) and compares each at its best; with one seed, differences of a few points are within seed-to-seed variation.",
    "cl_sweep_toggle": "Run the threshold sweep",
    "ls_clipping_spikes": "Clipping as a guard against spikes (Pascanu et al. 2013)",
    "ls_clipping_spikes_notice": "A healthy He-initialized network at a learning rate near the edge (0.3): most steps are ordinary, a few spike. Watch the per-step gradient norms: clipping by global norm at 5 touches only the spikes and the run trains; without clipping a spike eventually blows it up. Clipping by value at 5 does not bound the update's norm.",
    "claim_bn_rescues": "**BN before the activation rescues this network.** Without BN the back-propagated gradient is {none_trend} at initialization (‖∂L/∂z₁‖ / ‖∂L/∂z{top}‖ = {none_bp}) and {none_sat} of the units are saturated; it ends at {none_acc}. With BN before each activation, {before_sat} are saturated and it ends at {before_acc}.",
    "claim_bn_rescues_measured": "Measured: without BN {none_acc} ({none_sat} saturated, gradient ratio {none_bp}); BN before {before_acc} ({before_sat} saturated).",
    "claim_after_cannot_undo": "**Why BN after the activation does not help here.** BN placed after a saturating activation only rescales outputs that are already stuck at ±1: at initialization {after_sat} of the units are saturated, as without BN ({none_sat}), against {before_sat} with BN before. The next N(0, 1)-like layer then multiplies the spread by about √fan_in again. With BN after, it ends at {after_acc}.",
    "claim_after_cannot_undo_measured": "Measured at initialization: saturated {after_sat} with BN after, {before_sat} with BN before, {none_sat} without BN; final accuracy after {after_acc}, before {before_acc}.",
    "claim_fold_exact": "**Folding is exact here up to float32 round-off:** the largest relative output difference is {worst}.",
    "claim_fold_exact_measured": "**Folding lost precision here:** the largest relative output difference is {worst}. Folding is exact in real arithmetic (and in float64), but a folded bias must cancel terms up to {shift} times larger than the result, and float32 keeps only about 7 digits; later layers can amplify the digits lost. It happens when BN after a saturating activation faces large shifts; BN before the activation folds into its own layer without that cancellation.",
    "bn_speed_faster": "{before} → {after} ms (faster; timing noise {spread} ms)",
    "bn_speed_slower": "{before} → {after} ms (slower; timing noise {spread} ms)",
    "bn_speed_same": "{before} → {after} ms (no difference beyond the timing noise of {spread} ms)",
    "cl_sweep_caption": "Each point is one run's final validation accuracy (first seed); a cross at the top marks a threshold at which the method diverged.",
    "bn_trace_keras": "Keras, momentum {momentum}",
    "bn_trace_torch": "PyTorch, momentum {momentum} (dashed; = Keras 0.9)",
    "init_glorot_uniform": "Glorot uniform",
    "init_glorot_normal": "Glorot normal",
    "init_he_uniform": "He uniform",
    "init_he_normal": "He normal",
    "init_lecun_uniform": "LeCun uniform",
    "init_lecun_normal": "LeCun normal",
    "act_sigmoid": "sigmoid",
    "act_tanh": "tanh",
    "act_relu": "ReLU",
    "act_leaky_relu": "leaky ReLU",
    "act_elu": "ELU",
    "act_selu": "SELU",
    "act_gelu": "GELU",
    "act_swish": "Swish",
    "ro_accuracy_collapsed": "validation accuracy reached {best} at epoch {best_epoch}, then collapsed to {acc} after {epochs} epochs",
    "trend_saturated": "saturated",
    "update_ratio_note": "‖ΔW‖/‖W‖ is how much the epoch's last step changed each layer's weights, relative to their size: how fast each layer learns (around 10⁻³ per step is healthy, far below barely learns).",
    "bn_sweep_text": "To isolate the learning rate, this sweep uses a good initialization (Glorot uniform) for both arms, with and without BN before the activation; only the learning rate changes.",
    "ro_bp_saturated": "**saturated** at initialization: {share} of the hidden units sit in a flat region, though the gradient's profile is steady: ‖∂L/∂z₁‖ / ‖∂L/∂z{top}‖ = {ratio} (for ‖∂L/∂W‖: {w})",
    "tab_layers": "Per layer",
    "tab_curves": "Training curves",
    "tab_histograms": "Gradient histograms",
    # --- hosting: the link to share at the top of the sidebar -------------------------------
    "share_help": "Every setting that differs from its default is in this link, so whoever opens it sees the same charts and numbers (runs are deterministic). Copy it with the button at the box's right, or copy the address bar, which holds the same settings.",
    # --- values from links and uploads, shown as literal text (issue 22: hostile visitors) --
    "url_clamped": "{value} is out of range, so **{used}** was used.",
    "url_ignored": "{value} is not a valid value, so the default **{used}** was used.",
    "url_dropped": "In {name}, not valid here and left out: {items}; **{used}** was used.",
    "url_missing": "{value}: this data set has not been downloaded on this server (`python -m core.fashion_mnist` does it once), so **{used}** was used.",
    "url_corrupt": "{value}: this data set's files on this server do not match their SHA-256 checksums (damaged or altered; `python -m core.fashion_mnist` downloads them again), so **{used}** was used.",
    "url_kept": "{value} is not a valid value, so the current **{used}** was kept.",
    "url_wrong_type": "{value} has the wrong type for this setting, so the current **{used}** was kept.",
    "url_unknown": "{value} is not a setting of this app, so it was left out.",
    "url_nothing": "nothing",
    "upload_partial": "Configuration loaded, except for these values:",
    "lab_load_help": "A JSON file of at most {limit}, as the Configuration (JSON) download above saves it.",
    "lab_load_error": "That file was not loaded ({reason}); nothing was changed. A configuration is a JSON object of settings of at most {limit}, as the Configuration (JSON) download saves it.",
    "upload_too_large": "it is larger than {limit}",
    "upload_not_text": "it is not UTF-8 text",
    "upload_too_deep": "its lists or objects are nested more than {depth} levels deep",
    "upload_not_json": "it is not valid JSON",
    "upload_not_object": "it is JSON, but not an object of settings (name: value)",
    "upload_unreadable": "it could not be read as a configuration",
    # --- symmetry lesson (zeros / constant initialization) and lesson questions (issue 20) ---
    "init_zeros": "zeros",
    "init_constant": "constant {value}",
    "in_init_value": "c of the constant weights",
    "in_symmetry_title": "Why not start from zero? Symmetry",
    "in_symmetry_text": "If every weight of a layer starts at the same value, all its units compute the same output, receive the same gradient and take the same step: they stay copies of each other, and a layer of many units works like a single one. Random initialization is there to break this symmetry. All-zero weights are worse still: a unit's gradient is the weights above it times the gradient arriving there, so with zero weights above, the hidden layers get nothing at all. Even a constant c ≠ 0 passes nothing down at first: with equal output weights every hidden unit receives c · Σ(pₖ − yₖ) = 0, as the softmax outputs p and the one-hot label y both sum to 1. Only once the output layer has learned different weights for different classes does a gradient flow, and then the same one to every unit of a layer. The chart counts, for every hidden layer and epoch, how many of its units differ from each other.",
    "in_symmetry_caption": "Two units count as the same when their incoming weights and bias (and BN's γ and β) all agree within {rtol} of the layer's largest |parameter|: copies drift apart only by float32 round-off (under 10⁻⁶ of it), while randomly drawn units differ by about as much as the weights themselves.",
    "in_no_theory_constant": "The dashed prediction assumes independent random weights of mean 0; zeros and constant weights are neither, so only their measurements are drawn (all-zero outputs have no spread to draw on a log scale).",
    "chart_distinct_units": "Distinct units in each hidden layer, per epoch (light: all units identical; dark: all different)",
    "ax_distinct_units": "distinct units",
    "claim_symmetric": "**Every unit stays a copy of the others.** With {same}, each of the {top} hidden layers has only {most} distinct unit out of {width} at every epoch from 0 to {last}: units that start equal get equal gradients and equal updates, so nothing in training can make them differ.",
    "claim_symmetric_measured": "Measured for {same}: up to {most} distinct units out of {width} in a hidden layer between epochs 0 and {last} (after epoch {last}, layer by layer: {at_last}).",
    "claim_zeros_frozen": "**All-zero weights: the hidden layers never learn.** With {zeros}, every weight gradient is exactly 0, in every layer and at every epoch (largest ‖∂L/∂W‖: {hidden_w} in the hidden layers, {output_w} in the output layer). A hidden unit's gradient is the weights above it times the gradient arriving there, and those weights are 0; every hidden output is 0 as well, so not even the output weights move. Only the output biases change, and validation accuracy goes {start} → {end} (chance: {chance}).",
    "claim_zeros_frozen_measured": "Measured for {zeros}: largest ‖∂L/∂W‖ {hidden_w} in the hidden layers and {output_w} in the output layer; validation accuracy {start} → {end} (chance: {chance}).",
    "claim_constant_learns": "**Equal weights that are not zero do learn, but as one unit per layer.** With {constant}, the last step changed every hidden layer's weights (‖ΔW‖/‖W‖ from {low} to {high}), yet each layer still has 1 distinct unit: its {width} copies can learn only one feature between them. It ends at {constant_acc}; {random}, whose units all differ ({random_fewest} distinct in every layer), ends at {random_acc}.",
    "claim_constant_learns_measured": "Measured: with {constant}, ‖ΔW‖/‖W‖ of the last step from {low} to {high} across the hidden layers and up to {most} distinct units per layer, ending at {constant_acc}; {random} has at least {random_fewest} distinct units per layer and ends at {random_acc}.",
    "ls_symmetry": "Why not start from zero? Symmetry",
    "ls_symmetry_notice": "All-zero weights, a constant 0.01 and He normal, side by side. Count the distinct units per layer in the chart: starting from zeros or a constant, every hidden layer keeps one distinct unit epoch after epoch, while He's 100 units stay 100. With zeros every weight gradient stays 0, so only the output biases move; with a constant the weights do change, but all units of a layer change alike.",
    "q_banner": "Answer the [questions](#questions) further down first: the results, and what to notice, appear once you have answered.",
    "q_title": "Before the results: what do you expect?",
    "q_intro": "Answer from what you know; the page then checks your answers against this very run and shows its charts.",
    "q_check": "Check my answers and show the results",
    "q_answers_title": "Your answers, checked against this run",
    "q_right": "Right: {answer}.",
    "q_wrong": "You chose {mine}; this run shows {answer}.",
    "q_not_answered": "Not answered; this run shows {answer}.",
    "q_unmeasured": "nothing measurable (the run has no finite value)",
    "q_again": "Ask again",
    "q_none_of_them": "none of them",
    "q_vanish_most": "At initialization, in which network does the back-propagated gradient ‖∂L/∂z‖ shrink the most on its way from layer {top} down to layer 1?",
    "q_grows_most": "At initialization, in which network does the spread (std) of the layers' outputs grow the most from layer 1 to layer {top}?",
    "q_shrinks_most": "At initialization, in which network does the spread (std) of the layers' outputs shrink the most from layer 1 to layer {top}?",
    "q_closest_to_one": "At initialization, which network keeps the spread (std) of every hidden layer's outputs closest to 1?",
    "q_best_accuracy": "After {epochs} epochs of training, which network has the highest validation accuracy?",
    "q_state_without_bn": "Without batch normalization, what does the back-propagated gradient look like at initialization?",
    "q_outcome_unclipped": "Without clipping, what happens during training?",
    "q_outcome_unclipped_diverged": "it diverges (the loss becomes NaN or infinite)",
    "q_outcome_unclipped_learning": "it learns",
    "q_outcome_unclipped_stalled": "it barely learns",
    "q_outcome_unclipped_collapsed": "it learns, then collapses",
    "q_keeps_direction": "Which clipping method keeps the direction of every update?",
    "q_share_clipped": "{subject} at threshold {threshold}: in what share of the training steps does it actually clip?",
    "q_share_clipped_spikes": "under 20 %: only the spikes",
    "q_share_clipped_often": "between 20 % and 95 %",
    "q_share_clipped_always": "95 % or more: nearly every step",
    "q_distinct_after": "Starting from {subject}: after {epochs} epochs of training, how many distinct units does each hidden layer have (out of {width})?",
    "q_distinct_after_one": "1: all units are still identical",
    "q_distinct_after_some": "some, but fewer than {width}",
    "q_distinct_after_all": "all {width}: every unit is different",
    "q_zeros_learn": "Starting from {subject}: what does training change?",
    "q_zeros_learn_all": "the weights of every layer",
    "q_zeros_learn_output": "only the output layer's weights and biases",
    "q_zeros_learn_biases": "only the output layer's biases",
    "q_zeros_learn_nothing": "nothing at all",
    "q_measured_vanishing": "Measured ‖∂L/∂z₁‖ / ‖∂L/∂z{top_sub}‖ at initialization — {values}.",
    "q_measured_spread": "Measured std of the outputs, layer 1 → layer {top} — {values}.",
    "q_measured_drift": "Measured std of the hidden layers' outputs at initialization, lowest – highest — {values}.",
    "q_measured_accuracy": "Measured final validation accuracy — {values}.",
    "q_measured_direction": "Measured mean cosine between the raw and the clipped gradient (1: the same direction) — {values}.",
    "q_measured_share": "Measured: {subject} clipped {share} of the steps.",
    "q_measured_distinct": "Measured for {subject} after epoch {epoch}, layer by layer: {counts} distinct units (out of {width}).",
    "q_measured_learns": "Measured for {subject}: largest ‖∂L/∂W‖ over the epochs {hidden} in the hidden layers and {output} in the output layer, while the largest gradient of a training step, biases included, was {bias}.",
    "trend_blocked": "no gradient",
    "ro_bp_blocked": "**no gradient** reaches the hidden layers at initialization: ‖∂L/∂z{top}‖ = {top_norm}, against {out_norm} at the output",
}
