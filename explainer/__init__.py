"""The explainer's model, without any user interface: the scenario a user sets (sizes, values,
toggles, page, step), presets, the URL codec, scenario files, code export, lesson computations
and texts, and the walkthrough registry. NumPy and lstm_core only."""
