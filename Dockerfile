# Gradient Lab: a small image that serves the app on port 8501.
# The base is pinned to one Python release on Debian 12 (bookworm): change it on purpose, then
# run the tests and refresh constraints.txt.
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user runs the app. Its home is the only place it may write; the app writes
# nothing while serving (Fashion-MNIST, downloaded on request, would go to ~/.cache).
RUN useradd --create-home --uid 10001 app
WORKDIR /app

# The exact versions the tests ran with; installed before the code is copied, so that a code
# change reuses this layer.
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

# The code belongs to root and is read-only for the app user; compiled once here, as the user
# could not write the bytecode caches.
COPY . .
RUN python -m compileall -q app.py streamlit_app.py app_pages core ui && chmod -R go-w /app

# Hosting settings: no browser to open, only an error's type shown to visitors (no traceback),
# no watching the code for changes. Environment variables take precedence over
# .streamlit/config.toml, so the image serves this way even with a locally edited copy of it.
ENV STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=type \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_SERVER_RUN_ON_SAVE=false

USER app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"

# streamlit_app.py serves app.py and warms every page and lesson as the server starts
# (ui/runs/warmup.py), so that the first visitor after a start does not wait for training.
CMD ["streamlit", "run", "streamlit_app.py", "--server.address=0.0.0.0", "--server.port=8501"]
