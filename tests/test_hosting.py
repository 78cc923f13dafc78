"""Hosting files: the Dockerfile and the Streamlit configuration say what the README promises.

Docker itself is not available on every machine (CI here has only the client), so the image is
checked as text, line by line, the way a linter would.
"""

import tomllib

from conftest import ROOT


def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def test_dockerfile_basics():
    lines = dockerfile()
    assert lines[0] == "FROM python:3.11-slim"
    assert any(line.startswith("USER ") and "root" not in line for line in lines), (
        "must not run as root"
    )
    user_at = next(i for i, line in enumerate(lines) if line.startswith("USER "))
    cmd_at = next(i for i, line in enumerate(lines) if line.startswith("CMD "))
    assert user_at < cmd_at
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert any("/_stcore/health" in line for line in lines)
    cmd = lines[cmd_at]
    assert '"streamlit", "run", "app.py"' in cmd and "--server.address=0.0.0.0" in cmd
    assert any(line.startswith("COPY requirements.txt") for line in lines)
    # requirements are installed before the code is copied, so code changes reuse the layer
    pip_at = next(i for i, line in enumerate(lines) if "pip install -r requirements.txt" in line)
    copy_all_at = next(
        i for i, line in enumerate(lines) if line.startswith("COPY") and " . ." in line
    )
    assert pip_at < copy_all_at


def test_every_dockerfile_instruction_is_known():
    known = {
        "FROM",
        "ENV",
        "RUN",
        "WORKDIR",
        "COPY",
        "USER",
        "EXPOSE",
        "HEALTHCHECK",
        "CMD",
        "ARG",
        "LABEL",
    }
    for line in dockerfile():
        assert line.split()[0] in known, line


def test_streamlit_config_fit_for_a_public_demo():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] in ("none", "type")
    assert 1 <= config["server"]["maxUploadSize"] <= 50
    assert "light" in config["theme"] and "dark" in config["theme"]


def test_no_network_at_run_time():
    """No module the app imports reaches for the network or a CDN. The one module that can, the
    optional Fashion-MNIST download, runs from its command line only: nothing calls it."""
    paths = [
        ROOT / "app.py",
        *ROOT.glob("app_pages/*.py"),
        *ROOT.glob("ui/*.py"),
        *ROOT.glob("core/*.py"),
    ]
    for path in paths:
        text = path.read_text()
        if path.name == "fashion_mnist.py":
            continue
        for needle in ("urlopen", "requests.", "http://", "https://fonts.", "cdn."):
            assert needle not in text, (path.name, needle)
        assert "fashion_mnist.download" not in text and "import download" not in text, path.name
