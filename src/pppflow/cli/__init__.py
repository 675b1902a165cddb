"""The command line: parse, call a service, present. Heavy libraries are imported inside commands."""
