"""The 无障碍 toolbar's controls, read from data/toolbar.toml (R-A11Y-1): the toolbar and the help
page (无障碍说明) show the same labels and shortcuts, and the script takes its key map from the
toolbar's buttons."""

import functools
import tomllib
from pathlib import Path

TOOLBAR_TOML = Path(__file__).resolve().parent / "data" / "toolbar.toml"
SHORTCUT_MODIFIERS = "Alt+Shift+"


@functools.cache
def toolbar():
    """{"controls": {action: control}, "ordered": [control], "schemes": [...], "zoom_steps": [...]};
    each control has ``shortcut`` ("Alt+Shift+F") beside its ``key``."""
    with TOOLBAR_TOML.open("rb") as handle:
        spec = tomllib.load(handle)
    ordered = [
        {**control, "shortcut": SHORTCUT_MODIFIERS + control["key"]} for control in spec["controls"]
    ]
    keys = [control["key"] for control in ordered]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{TOOLBAR_TOML}: two controls share a shortcut key: {keys}")
    return {
        "controls": {control["action"]: control for control in ordered},
        "ordered": ordered,
        "schemes": spec["schemes"],
        "zoom_steps": spec["zoom_steps"],
        "zoom_list": " ".join(str(step) for step in spec["zoom_steps"]),
    }
