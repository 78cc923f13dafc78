"""The app's pages: where each lives, its title, icon and address, and its group in the
navigation. ``app.py`` builds the navigation from :data:`PAGES`; pages link to one another
through :func:`link`, so a title or icon is written once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ..text.i18n import Text

#: The app's icon in the browser's tab: a file served by the app itself (a Material icon there
#: would make every visitor's browser fetch it from Google's font server).
ICON = Path(__file__).with_name("icon.svg")


@dataclass(frozen=True)
class Page:
    path: str  # the page's file, relative to app.py
    title: str  # catalogue key
    icon: str  # a Material icon: it needs no emoji font
    url_path: str  # "" for the default page
    group: str  # catalogue key of its group in the navigation

    @property
    def segment(self) -> str:
        """The last segment of the page's address as Streamlit serves it: its ``url_path``,
        the default page's ``overview`` (which is also served at the root)."""
        return self.url_path or "overview"


PAGES = (
    Page("app_pages/overview.py", "page_overview", ":material/trending_down:", "", "nav_start"),
    Page("app_pages/lessons.py", "page_lessons", ":material/school:", "lessons", "nav_start"),
    Page(
        "app_pages/initialization.py",
        "page_init",
        ":material/casino:",
        "initialization",
        "nav_techniques",
    ),
    Page(
        "app_pages/activations.py",
        "page_activations",
        ":material/show_chart:",
        "activations",
        "nav_techniques",
    ),
    Page(
        "app_pages/batch_normalization.py",
        "page_batchnorm",
        ":material/equalizer:",
        "batch-normalization",
        "nav_techniques",
    ),
    Page(
        "app_pages/gradient_clipping.py",
        "page_clipping",
        ":material/content_cut:",
        "gradient-clipping",
        "nav_techniques",
    ),
    Page("app_pages/lab.py", "page_lab", ":material/biotech:", "lab", "nav_experiment"),
)
BY_URL_PATH = {page.url_path: page for page in PAGES}


def navigation(tr: Text):
    """``st.navigation`` over :data:`PAGES`, grouped and titled in the visitor's language."""
    groups: dict[str, list] = {}
    for page in PAGES:
        groups.setdefault(tr(page.group), []).append(
            st.Page(
                page.path,
                title=tr(page.title),
                icon=page.icon,
                url_path=page.segment,
                default=not page.url_path,
            )
        )
    return st.navigation(groups)


def link(url_path: str, tr: Text, label: str | None = None) -> None:
    """A link to the page at ``url_path``, labelled with its title (or ``label``)."""
    page = BY_URL_PATH[url_path]
    st.page_link(page.path, label=label or tr(page.title), icon=page.icon)
