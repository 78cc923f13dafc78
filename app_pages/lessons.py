"""Lesson plan: the workshop lessons in the order a class takes them, each with what it shows,
its page, its questions, its time and its link."""

import streamlit as st

from ui.page import shell, site
from ui.story.lessons import LESSONS

#: Minutes on the overview before the first lesson.
OVERVIEW_MINUTES = 5

tr = shell.current().tr
language = {"lang": tr.lang} if tr.lang != "en" else {}  # English is every link's default
#: The app's root as the visitor reached it (a proxy's prefix included); lesson links are
#: relative to it. Without a browser (a test client), the links stay relative.
address = (st.context.url or "").removesuffix("lessons").split("?")[0]
st.title(tr("lp_title"))
st.markdown(tr("lp_intro"))
st.info(tr("lp_before"), icon=":material/schedule:")

core = OVERVIEW_MINUTES + sum(lesson.minutes for lesson in LESSONS if lesson.core)
every = OVERVIEW_MINUTES + sum(lesson.minutes for lesson in LESSONS)
st.caption(tr("lp_total", core=core, all=every))
st.markdown(tr("lp_start"))
site.link("", tr)

for number, lesson in enumerate(LESSONS, start=1):
    asked = len(lesson.questions)
    meta = tr(
        "lp_meta",
        page=tr(site.BY_URL_PATH[lesson.page].title),
        questions=tr("lp_questions_1") if asked == 1 else tr("lp_questions_n", n=asked),
        minutes=lesson.minutes,
    )
    badge = f":blue-badge[{tr('lp_core')}]" if lesson.core else f":gray-badge[{tr('lp_extra')}]"
    with st.container(border=True):
        text, links = st.columns([3, 1], vertical_alignment="center")
        title = f"**{number}. {tr(lesson.title_key)}** {badge}"
        text.markdown(f"{title}  \n{tr(lesson.plan_key)}")
        text.caption(meta)
        text.caption(tr("lp_link", link=f"`{address}{lesson.link(**language)}`"))
        links.link_button(
            tr("lp_open"), lesson.link(**language), icon=":material/quiz:", width="stretch"
        )
        links.link_button(
            tr("lp_results"),
            lesson.link(**language, ask="0"),
            icon=":material/monitoring:",
            type="tertiary",
            width="stretch",
        )
