// Fixture of the include-layer check.
