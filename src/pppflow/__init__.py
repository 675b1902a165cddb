"""pppflow: a workflow engine for public-private partnerships in education."""

__version__ = "0.1.0"
