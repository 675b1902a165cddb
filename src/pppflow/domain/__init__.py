"""The pure domain: no I/O, no clock, no database session. Callers pass `now`."""
