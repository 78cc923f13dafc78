"""Lab: two to four freely configured variants, paired, with downloads and decision boundaries."""

import json

import streamlit as st

from core import ModelConfig, Variant
from ui.caches import data
from ui.caches.memo import chart
from ui.page import (
    config_file,
    controls,
    export_offer,
    lasting,
    params,
    shell,
    technique,
    url_state,
)
from ui.runs import budget, runner
from ui.story import figures, measure
from ui.text.labels import namers

s, tr = shell.page("lab_title", "lab_intro")
activation_name, init_name = namers(tr)

controls.slider(params.VARIANTS, st, tr, "lab_variants")
n = url_state.value(params.VARIANTS)
columns = st.columns(n)
variants, labels = [], {}
for i, (column, fields) in enumerate(zip(columns, params.LAB[:n]), start=1):
    with column.container(border=True):
        st.markdown(f"**{tr('lab_variant', i=i)}**")
        f = fields
        controls.selectbox(f["activation"], st, tr, "lab_activation")
        controls.selectbox(f["init"], st, tr, "lab_init")
        controls.selectbox(f["batchnorm"], st, tr, "lab_batchnorm")
        controls.selectbox(f["optimizer"], st, tr, "lab_optimizer")
        controls.select_slider(f["lr"], st, tr, "lab_lr")
        controls.selectbox(f["clip"], st, tr, "lab_clip")
        if url_state.value(f["clip"]) != "none":  # its threshold, only where it clips
            controls.number_input(f["clip_threshold"], st, tr, "lab_clip_threshold")
        else:
            url_state.bind(f["clip_threshold"])  # kept in the link for when it clips
    v = {field: url_state.value(p) for field, p in fields.items()}
    model = ModelConfig(
        hidden=s.hidden_sizes, activation=v["activation"], init=v["init"], batchnorm=v["batchnorm"]
    )
    train_cfg = s.train(
        optimizer=v["optimizer"], lr=v["lr"], clip=v["clip"], clip_threshold=v["clip_threshold"]
    )
    name = f"v{i}"
    variants.append(Variant(name, model, train_cfg))
    labels[name] = f"{i}: {activation_name(v['activation'])} + {init_name(v['init'])}"


def load_configuration():
    """Read the uploaded file and set what it holds; any failure changes nothing."""
    upload = st.session_state.get("_lab_upload")
    if upload is None:
        return
    limit = f"{config_file.MAX_BYTES // 1024} kB"
    try:
        notes = url_state.load(config_file.parse(upload.getvalue()))
    except Exception as error:  # RecursionError, MemoryError, ...: the same clear message
        reason = error.reason if isinstance(error, config_file.Unreadable) else "upload_unreadable"
        text = tr(reason, limit=limit, depth=config_file.MAX_DEPTH)
        message = tr("lab_load_error", reason=text, limit=limit)
        st.session_state["_lab_load_message"] = ("error", message)
        return
    if not notes:
        st.session_state["_lab_load_message"] = ("success", tr("lab_loaded"))
        return
    lines = [tr("upload_partial"), *("- " + url_state.note_line(n, tr) for n in notes)]
    st.session_state["_lab_load_message"] = ("warning", "\n".join(lines))


two_d = data.load(s.dataset).n_features == 2
boundaries = measure.boundary_grid if two_d else None
view = technique.section(
    variants,
    labels,
    s,
    key="lab",
    summarise=boundaries,
    extra=budget.boundaries_cost(runner.shape_of(s.dataset), [v.model for v in variants])
    if two_d
    else None,
)

if view is not None:
    if not two_d:
        st.caption(tr("lab_boundary_none"))
    else:
        st.subheader(tr("lab_boundary_title"))
        st.caption(tr("lab_boundary_text"))
        for v in variants:
            if v.name in view.comp.diverged_variants:
                st.caption(tr("lab_boundary_diverged", variant=labels[v.name]))
        if len(view.comp.diverged_variants) < len(variants):
            chart(st, figures.decision_boundaries, view)


# the files in and out, drawn once opened: three file widgets cost the browser time on every
# visit, and most visits use none of them
with lasting.expander(tr("lab_downloads"), "lab_files", icon=":material/folder_open:") as box:
    if box.open:
        if view is not None:
            left, right = st.columns(2)
            left.download_button(
                tr("lab_csv"),
                lambda: measure.history_csv(view),  # built on click, not on every rerun
                file_name="gradient-lab-history.csv",
                mime="text/csv",
                icon=":material/table:",
            )
            right.download_button(
                tr("lab_json"),
                json.dumps(url_state.query(explicit=True), indent=2).encode("utf-8"),
                file_name="gradient-lab-config.json",
                mime="application/json",
                icon=":material/settings:",
            )
        st.file_uploader(
            tr("lab_load"),
            type=["json"],
            key="_lab_upload",
            on_change=load_configuration,
            help=tr("lab_load_help", limit=f"{config_file.MAX_BYTES // 1024} kB"),
            max_upload_size=1,  # MB: the browser refuses larger files before they are sent
        )
message = st.session_state.pop("_lab_load_message", None)
if message:
    getattr(st, message[0])(message[1])

export_offer.offer(view)  # download the comparison as PyTorch / Keras code
