"""The collaboration agreement: its view model, contribution schedule, formatting, versions, diffs and amendments."""
