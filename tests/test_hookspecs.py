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
    assert {"aduan_timeline_event", "aduan_connector_info", "aduan_connector_fetch",
            "aduan_connector_push", "aduan_connector_forward",
            "aduan_connector_health"} <= set(specs)
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


def test_firstresult_where_one_connector_answers():
    firsts = {name for name, fn in _specs().items()
              if name.startswith("aduan_connector_") and fn.aduan_spec.get("firstresult")}
    assert firsts == {"aduan_connector_fetch", "aduan_connector_push",
                      "aduan_connector_forward", "aduan_connector_health"}
