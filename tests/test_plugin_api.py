"""`portal.plugin_api` is the whole plugin surface: the connectors, the
example package and the docs import nothing else of the portal."""
import ast
import re
from pathlib import Path

import portal.plugin_api as api

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_SOURCES = [*ROOT.glob("connectors/**/*.py"),
                  *ROOT.glob("examples/aduan-connector-demo/**/*.py")]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            # `from portal import plugin_api` names the module in the alias.
            found |= {f"{node.module}.{alias.name}" for alias in node.names
                      if node.module == "portal"}
    return found


def test_connectors_and_the_example_import_only_the_plugin_api():
    assert len(PLUGIN_SOURCES) > 8
    offenders = {}
    for path in PLUGIN_SOURCES:
        portal = {name for name in _imports(path)
                  if name == "portal" or name.startswith("portal.")}
        portal -= {"portal", "portal.plugin_api"}
        if portal:
            offenders[str(path.relative_to(ROOT))] = sorted(portal)
    assert not offenders


def test_the_docs_show_only_the_plugin_api():
    text = (ROOT / "docs" / "connectors.md").read_text()
    imported = {module + ("." + name if module == "portal" else "")
                for module, name in re.findall(
                    r"^\s*(?:from|import) (portal[\w.]*)(?: import (\w+))?", text, re.MULTILINE)}
    assert imported == {"portal.plugin_api"}


def test_the_surface_holds_what_a_connector_needs():
    for name in ("hookimpl", "Connector", "RemoteComplaint", "FetchResult", "PushResult",
                 "Update", "LocalComplaint", "Health", "ConfigKey", "ConnectorError",
                 "TransientError", "AuthError", "RemoteRejected", "send", "parse_response",
                 "SELESAI", "STATUSES", "WebhookRequest", "WebhookRefused", "Publication"):
        assert name in api.__all__ and hasattr(api, name), name
    assert set(api.__all__) <= set(vars(api))
