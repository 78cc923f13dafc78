"""Hosting files: the Dockerfile, the Streamlit configuration, the ignore files, the pinned
versions and the package metadata say what the README promises.

Docker itself is not available on every machine (CI here has only the client), so the image is
checked as text, line by line, the way a linter would; the names it hands Streamlit are checked
against Streamlit's own list of options, since Streamlit ignores a misspelt one silently.
"""

import fnmatch
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from streamlit import config as st_config

#: what the app needs at run time: none of it may be left out of the image
NEEDED_IN_IMAGE = [
    "app.py",
    "streamlit_app.py",
    "app_pages/overview.py",
    "core/__init__.py",
    "ui/text/locales/ko.py",
    "data/digits.csv.gz",
    ".streamlit/config.toml",
    "requirements.txt",
    "constraints.txt",
    "LICENSE",
]
#: local clutter that must stay out of the repository and the image
CLUTTER = [
    ".venv/bin/python",
    "venv/lib/site.py",
    ".hypothesis/examples/x",
    ".pytest_cache/v/x",
    ".ruff_cache/x",
    "core/__pycache__/layers.cpython-311.pyc",
    "test-artifacts/overview-en.png",
]


def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def first(lines: list[str], predicate) -> int:
    return next(i for i, line in enumerate(lines) if predicate(line))


def docker_env(lines: list[str]) -> dict[str, str]:
    """Every ``ENV NAME=value`` the Dockerfile sets."""
    env = {}
    for line in lines:
        if line.startswith("ENV "):
            env |= dict(item.split("=", 1) for item in line.split()[1:])
    return env


def requirements(name: str) -> list[str]:
    lines = (ROOT / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "-r"))]


def test_dockerfile_basics():
    lines = dockerfile()
    assert re.fullmatch(r"FROM python:3\.11\.\d+-slim-bookworm", lines[0]), (
        "pin the base image to one Python release and one Debian release"
    )
    assert any(line.startswith("USER ") and "root" not in line for line in lines), (
        "must not run as root"
    )
    user_at = first(lines, lambda line: line.startswith("USER "))
    cmd_at = first(lines, lambda line: line.startswith("CMD "))
    assert user_at < cmd_at
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert any("/_stcore/health" in line for line in lines)
    cmd = lines[cmd_at]
    # the hosted entry point: app.py served through st.App, which warms up as the server starts
    assert '"streamlit", "run", "streamlit_app.py"' in cmd and "--server.address=0.0.0.0" in cmd
    # requirements are installed, at the tested versions, before the code is copied, so that
    # a code change reuses the layer
    copy_req_at = first(lines, lambda line: line.startswith("COPY requirements.txt"))
    assert "constraints.txt" in lines[copy_req_at]
    pip_at = first(lines, lambda line: "pip install -r requirements.txt" in line)
    assert "-c constraints.txt" in lines[pip_at]
    copy_all_at = first(lines, lambda line: line.startswith("COPY") and " . ." in line)
    assert copy_req_at < pip_at < copy_all_at


def test_the_code_in_the_image_belongs_to_root_and_is_read_only_for_the_app_user():
    lines = dockerfile()
    assert not any(line.startswith("COPY") and "--chown" in line for line in lines)
    user_at = first(lines, lambda line: line.startswith("USER "))
    # everything that writes into the image happens as root, before the switch
    assert all(not line.startswith(("COPY", "RUN", "ADD")) for line in lines[user_at:])
    workdir = next(line.split()[1] for line in lines if line.startswith("WORKDIR "))
    assert not workdir.startswith("/home/"), "the code is not in the app user's home"
    assert any(line.startswith("RUN ") and "chmod -R go-w" in line for line in lines)


def test_hosting_settings_are_in_the_image_and_name_real_streamlit_options():
    lines = dockerfile()
    env = docker_env(lines)
    options = {o.env_var: o for o in st_config.get_config_options().values()}
    streamlit_env = {k: v for k, v in env.items() if k.startswith("STREAMLIT_")}
    for name in streamlit_env:
        assert name in options, f"{name} is no Streamlit option: Streamlit would ignore it"
    assert streamlit_env["STREAMLIT_SERVER_HEADLESS"] == "true"
    assert streamlit_env["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] == "type"  # as config.toml
    assert streamlit_env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] == "none"
    user_at = first(lines, lambda line: line.startswith("USER "))
    env_at = max(i for i, line in enumerate(lines) if "STREAMLIT_SERVER_HEADLESS" in line)
    assert env_at < user_at


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


def test_streamlit_config_is_the_hosted_one():
    """A host that reads the file (Streamlit Community Cloud) shows visitors an error's type,
    not a traceback; on one's own machine `streamlit run app.py` still opens a browser, and
    `--client.showErrorDetails full` (in the file's comments) shows tracebacks."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    options = st_config.get_config_options()
    for section, values in config.items():
        for key, value in values.items():
            if isinstance(value, dict):  # [theme.light] and the like
                for sub in value:
                    assert f"{section}.{key}.{sub}" in options, (section, key, sub)
            else:
                assert f"{section}.{key}" in options, f"{section}.{key} is no Streamlit option"
    assert config["server"].get("headless", False) is False
    assert config["client"]["showErrorDetails"] == "type"
    text = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "streamlit run app.py --client.showErrorDetails full" in text
    assert config["server"]["showEmailPrompt"] is False, "a first run must not wait for input"
    assert config["browser"]["gatherUsageStats"] is False
    # a saved Lab configuration is under 1 kB; Streamlit counts in whole megabytes
    assert config["server"]["maxUploadSize"] == 1
    assert "light" in config["theme"] and "dark" in config["theme"]


def dockerignored(path: str) -> bool:
    """Whether ``.dockerignore`` leaves ``path`` (or a folder holding it) out of the image.

    Docker matches each pattern against the path from the context's root (``**`` spans
    folders); fnmatch's ``*`` spans folders too, which errs towards reporting a match.
    """
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(p.startswith("!") for p in patterns), "exceptions would need real matching"
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(prefix, p) for p in patterns for prefix in prefixes)


@pytest.mark.parametrize("path", NEEDED_IN_IMAGE)
def test_the_image_gets_what_the_app_needs(path):
    assert (ROOT / path).exists()
    assert not dockerignored(path)


@pytest.mark.parametrize(
    "path", [*CLUTTER, "tests/test_app.py", ".git/HEAD", ".streamlit/secrets.toml"]
)
def test_the_image_leaves_out_clutter_tests_and_secrets(path):
    assert dockerignored(path)


@pytest.mark.parametrize("path", [*CLUTTER, ".streamlit/secrets.toml", "build/lib/x.py"])
def test_git_ignores_local_clutter(path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    result = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
    assert result.returncode == 0, f"{path} is not ignored"


def test_constraints_pin_every_requirement_within_its_range():
    pins = {}
    for line in requirements("constraints.txt"):
        name, version = line.split("==")
        pins[canonicalize_name(name)] = version
    for line in requirements("requirements.txt") + requirements("requirements-dev.txt"):
        req = Requirement(line)
        pinned = pins.get(canonicalize_name(req.name))
        assert pinned is not None, f"{req.name} is not pinned in constraints.txt"
        assert req.specifier.contains(pinned), f"{req.name}=={pinned} is outside {req.specifier}"


def test_ci_installs_the_pinned_versions():
    script = (ROOT / ".ci" / "run").read_text()
    installs = [line for line in script.splitlines() if "pip install" in line]
    assert installs and all("-c constraints.txt" in line for line in installs)


def test_package_metadata_matches_the_requirements_and_names_the_licence():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == requirements("requirements.txt")
    assert project["optional-dependencies"]["dev"] == requirements("requirements-dev.txt")
    assert project["license"] == "MIT" and project["requires-python"] == ">=3.11"
    # the versions the classifiers name (the ones the tests passed on) are all allowed, the
    # image's among them
    named = [
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if c.startswith("Programming Language :: Python :: 3.")
    ]
    image = re.match(r"FROM python:(\d+\.\d+)\.", dockerfile()[0]).group(1)
    assert image in named
    assert all(SpecifierSet(project["requires-python"]).contains(f"{v}.0") for v in named)
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "Gradient Lab contributors" in licence
    citation = (ROOT / "CITATION.cff").read_text()
    assert "cff-version: 1.2.0" in citation and "license: MIT" in citation


def test_every_python_package_is_installed_by_pip():
    """`pip install .` lists its packages: a new subpackage of core/ or ui/ must be added."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("core", "ui")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found <= set(setuptools["packages"])


def test_the_wheel_holds_the_engine_the_interface_the_data_and_the_licence(tmp_path):
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip("setuptools >= 77 builds the wheel (pip's isolated build fetches it)")
    source = tmp_path / "src"
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        (source / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    for folder in ("core", "ui", "data"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("gradient_lab-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"core/network.py", "core/shipped/digits.csv.gz", "core/shipped/README.md"} <= names
    assert "core/shipped/breast_cancer.csv.gz" in names
    assert {"ui/text/locales/ko.py", "ui/page/url_state.py"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith(("tests/", "bench/", "app_pages/")) for n in names)


def test_no_network_at_run_time():
    """No module the app imports reaches for the network or a CDN. The one module that can, the
    optional Fashion-MNIST download, runs from its command line only: nothing calls it."""
    paths = [
        ROOT / "app.py",
        ROOT / "streamlit_app.py",
        *ROOT.glob("app_pages/*.py"),
        *ROOT.glob("ui/**/*.py"),
        *ROOT.glob("core/*.py"),
    ]
    for path in paths:
        text = path.read_text()
        if path.name == "fashion_mnist.py":
            continue
        for needle in ("urlopen", "requests.", "http://", "https://fonts.", "cdn."):
            assert needle not in text, (path.name, needle)
        assert "fashion_mnist.download" not in text and "import download" not in text, path.name
