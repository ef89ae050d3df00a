"""Pure-Python core of the misalignment taxonomy: load, validate and render. Never imports MkDocs."""
