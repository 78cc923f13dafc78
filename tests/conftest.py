import functools
import sys
from pathlib import Path

from streamlit.components.v2 import manifest_scanner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Every new AppTest scans all installed distributions for Streamlit components (0.5-1.5 s
# each time, most of a page test). The installed set cannot change during a test session, so
# the scan runs once and its result is reused.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)
