"""The plugin contract: named, documented, and every implementation matches it."""
import inspect

import pluggy
import pytest

from portal.plugins import hookspecs, manager as plugins


def _specs():
    return {name: fn for name, fn in vars(hookspecs).items()
            if inspect.isfunction(fn) and hasattr(fn, "aduan_spec")}


def test_every_hook_is_prefixed_and_documented():
    specs = _specs()
    assert {"aduan_timeline_event", "aduan_connectors", "aduan_publish_requirements",
            "aduan_notify"} <= set(specs)
    for name, fn in specs.items():
        assert name.startswith("aduan_"), name
        doc = inspect.getdoc(fn) or ""
        assert len(doc) > 80, f"{name} needs a docstring saying what it gets and returns"
        assert "return" in doc.lower(), f"{name} must say what it returns"


def test_every_builtin_hookimpl_names_a_spec():
    pm = plugins.make_manager(load_entry_points=False)
    pm.check_pending()  # raises for an implementation without a spec
    for name in plugins.BUILTIN_PLUGINS:
        module = pm.get_plugin(name)
        impls = [n for n, fn in vars(module).items() if hasattr(fn, "aduan_impl")]
        assert impls, f"{name} implements no hook"
        assert set(impls) <= set(_specs()), name


def test_an_implementation_with_a_misspelt_hook_is_refused():
    class Typo:
        @hookspecs.hookimpl
        def aduan_conector_fetch(self, connector):
            return None

    pm = plugins.make_manager(load_entry_points=False)
    pm.register(Typo())
    with pytest.raises(pluggy.PluginValidationError):
        pm.check_pending()


def test_no_connector_hook_selects_itself_by_name():
    """Connectors come as objects from one hook; nothing is dispatched by a
    `connector` argument that every implementation must check."""
    specs = _specs()
    assert not [name for name in specs if name.startswith("aduan_connector_")]
    for name, fn in specs.items():
        assert "connector" not in inspect.signature(fn).parameters, name
    assert not specs["aduan_connectors"].aduan_spec.get("firstresult")
